package dev.bridle.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.control.QualityBreaker.Action;
import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.State;
import dev.bridle.core.control.QualityBreaker.Status;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.FailureKind;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The quality breaker's rules over the in-memory store: when it trips (not before the minimum,
 * exactly at the rate), that it stays open until an operator closes it, that a close starts the
 * window afresh, and what counts as a failure.
 */
class QualityBreakerTest {

  private static final String REFUNDS = "refunds";
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final InMemoryQualityBreakerStore store = new InMemoryQualityBreakerStore(clock);
  private final List<Status> trips = new ArrayList<>();
  private final QualityBreaker breaker =
      QualityBreaker.builder()
          .store(store)
          .clock(clock)
          .settings(
              REFUNDS,
              QualityBreakerSettings.DEFAULT
                  .withMinimumSamples(5)
                  .withWindowSize(10)
                  .withFailureRate(0.5))
          .onTrip(trips::add)
          .build();
  private final AtomicInteger runs = new AtomicInteger();

  /** One sample of a run that ended now, one second after the previous one. */
  private Status run(QualitySignal signal) {
    clock.advance(Duration.ofSeconds(1));
    RunId runId = RunId.of("run-" + runs.incrementAndGet());
    return breaker.record(REFUNDS, QualitySample.ofRun(runId, clock.instant(), signal));
  }

  @Test
  void aWorkflowNothingWasRecordedForIsClosedAndAdmitsTasks() {
    assertThat(breaker.admit(REFUNDS)).isEmpty();
    Status status = breaker.status(REFUNDS);
    assertThat(status.state()).isEqualTo(State.CLOSED);
    assertThat(status.window().samples()).isZero();
    assertThat(breaker.statuses()).isEmpty();
    assertThat(breaker.history(REFUNDS, 10)).isEmpty();
  }

  @Test
  void itDoesNotTripBeforeTheMinimumNumberOfSamplesHowEverBadTheyAre() {
    for (int i = 0; i < 4; i++) {
      Status status = run(QualitySignal.ERROR);
      assertThat(status.state()).as("after %d failures", i + 1).isEqualTo(State.CLOSED);
    }
    assertThat(breaker.status(REFUNDS).window())
        .isEqualTo(new QualityWindow(4, 4, T0.plusSeconds(4)));
    assertThat(breaker.admit(REFUNDS)).isEmpty();

    Status fifth = run(QualitySignal.ERROR);

    assertThat(fifth.state()).isEqualTo(State.OPEN);
    assertThat(fifth.changedBy()).isEqualTo(QualityBreaker.TRIPPED_BY);
    assertThat(fifth.changedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(fifth.reason()).isEqualTo("failure rate 100% (5 of the last 5 samples) reached 50%");
    assertThat(trips).containsExactly(fifth);
  }

  @Test
  void itTripsWhenTheFailureRateReachesTheThresholdAndNotBelowIt() {
    for (int i = 0; i < 6; i++) {
      run(QualitySignal.PASSED);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(run(QualitySignal.LOOP).state()).isEqualTo(State.CLOSED);
    }
    // 4 of 10 failed: 40% < 50%
    assertThat(breaker.status(REFUNDS).window().failureRate()).isEqualTo(0.4);

    // the window holds the newest 10: a passed run drops out, a failure comes in: 5 of 10
    Status status = run(QualitySignal.GUARD_BLOCKED);

    assertThat(status.window()).isEqualTo(new QualityWindow(10, 5, T0.plusSeconds(11)));
    assertThat(status.state()).isEqualTo(State.OPEN);
    assertThat(status.reason())
        .isEqualTo("failure rate 50% (5 of the last 10 samples) reached 50%");
  }

  @Test
  void anOpenBreakerDivertsTasksAndStaysOpenWhateverComesInUntilAnOperatorClosesIt() {
    for (int i = 0; i < 5; i++) {
      run(QualitySignal.ERROR);
    }
    assertThat(breaker.status(REFUNDS).isOpen()).isTrue();

    QualityBreaker.Diversion diversion = breaker.admit(REFUNDS).orElseThrow();
    assertThat(diversion.message())
        .isEqualTo(QualityBreakerSettings.DEFAULT_MESSAGE.replace("{workflow}", REFUNDS))
        .contains("the refunds agent is paused")
        .contains("Nothing is lost");
    assertThat(diversion.status().changedBy()).isEqualTo(QualityBreaker.TRIPPED_BY);

    // runs that were under way, evaluations: recorded, but nothing closes it but an operator
    for (int i = 0; i < 10; i++) {
      run(QualitySignal.PASSED);
    }
    Status stillOpen = breaker.status(REFUNDS);
    assertThat(stillOpen.isOpen()).isTrue();
    assertThat(stillOpen.window().failures()).isZero();
    assertThat(trips).hasSize(1);

    clock.advance(Duration.ofMinutes(3));
    assertThat(breaker.close(REFUNDS, "ops:lee", "provider fixed, INC-88")).isTrue();

    Status closed = breaker.status(REFUNDS);
    assertThat(closed.state()).isEqualTo(State.CLOSED);
    assertThat(closed.changedBy()).isEqualTo("ops:lee");
    assertThat(closed.reason()).isEqualTo("provider fixed, INC-88");
    assertThat(closed.windowStart()).isEqualTo(clock.instant());
    assertThat(closed.window().samples()).isZero();
    assertThat(breaker.admit(REFUNDS)).isEmpty();
    assertThat(breaker.close(REFUNDS, "ops:lee", "again")).as("closed already").isFalse();

    assertThat(breaker.history(REFUNDS, 10))
        .containsExactly(
            new LogEntry(
                2, Action.CLOSE, REFUNDS, "ops:lee", "provider fixed, INC-88", clock.instant()),
            new LogEntry(
                1,
                Action.TRIP,
                REFUNDS,
                QualityBreaker.TRIPPED_BY,
                "failure rate 100% (5 of the last 5 samples) reached 50%",
                T0.plusSeconds(5)));
  }

  @Test
  void afterACloseTheOldFailuresNoLongerCountAndTheMinimumAppliesAgain() {
    for (int i = 0; i < 5; i++) {
      run(QualitySignal.ERROR);
    }
    breaker.close(REFUNDS, "ops:lee", "");

    for (int i = 0; i < 4; i++) {
      assertThat(run(QualitySignal.ERROR).isOpen()).isFalse();
    }
    assertThat(breaker.status(REFUNDS).window().samples()).isEqualTo(4);
    assertThat(run(QualitySignal.ERROR).isOpen()).as("5 new failures").isTrue();
    assertThat(breaker.history(REFUNDS, 10))
        .extracting(LogEntry::action)
        .containsExactly(Action.TRIP, Action.CLOSE, Action.TRIP);
  }

  @Test
  void samplesOlderThanTheWindowDurationDoNotCount() {
    QualityBreaker hourly =
        QualityBreaker.builder()
            .store(store)
            .clock(clock)
            .defaults(QualityBreakerSettings.DEFAULT.withMinimumSamples(3))
            .build();
    hourly.record(
        "triage", QualitySample.ofRun(RunId.of("r1"), clock.instant(), QualitySignal.ERROR));
    hourly.record(
        "triage", QualitySample.ofRun(RunId.of("r2"), clock.instant(), QualitySignal.ERROR));
    clock.advance(Duration.ofMinutes(61));

    Status status =
        hourly.record(
            "triage", QualitySample.ofRun(RunId.of("r3"), clock.instant(), QualitySignal.ERROR));

    assertThat(status.window().samples()).as("the first two are over an hour old").isEqualTo(1);
    assertThat(status.isOpen()).isFalse();
  }

  @Test
  void aRunRecordedTwiceCountsOnce() {
    QualitySample sample = QualitySample.ofRun(RunId.of("run-x"), T0, QualitySignal.ERROR);
    for (int i = 0; i < 6; i++) {
      breaker.record(REFUNDS, sample);
    }
    assertThat(breaker.status(REFUNDS).window().samples()).isEqualTo(1);
    assertThat(breaker.status(REFUNDS).isOpen()).isFalse();
  }

  @Test
  void evaluationFailuresCountAndABudgetStopDoesNotByDefault() {
    for (int i = 0; i < 3; i++) {
      breaker.recordEvaluation(REFUNDS, false);
    }
    run(QualitySignal.BUDGET);
    run(QualitySignal.BUDGET);
    Status status = breaker.status(REFUNDS);
    assertThat(status.window())
        .extracting(QualityWindow::samples, QualityWindow::failures)
        .containsExactly(5, 3);
    assertThat(status.isOpen()).as("60%").isTrue();
    assertThat(breaker.recordEvaluation(REFUNDS, "case-7", true).window().samples()).isEqualTo(6);
    assertThat(breaker.recordEvaluation(REFUNDS, "case-7", true).window().samples())
        .as("the same evaluation id counts once")
        .isEqualTo(6);
  }

  @Test
  void theCountedSignalsAreConfigurable() {
    QualityBreaker onlyGuards =
        QualityBreaker.builder()
            .store(store)
            .clock(clock)
            .defaults(
                QualityBreakerSettings.DEFAULT
                    .withMinimumSamples(2)
                    .withCountedNames(List.of("guard-blocked", "guard_tripped")))
            .build();
    onlyGuards.record("w", QualitySample.ofRun(RunId.of("a"), T0, QualitySignal.ERROR));
    onlyGuards.record("w", QualitySample.ofRun(RunId.of("b"), T0, QualitySignal.DEADLINE));
    assertThat(onlyGuards.status("w").window().failures()).isZero();

    onlyGuards.record("w", QualitySample.ofRun(RunId.of("c"), T0, QualitySignal.GUARD_TRIPPED));
    Status status =
        onlyGuards.record("w", QualitySample.ofRun(RunId.of("d"), T0, QualitySignal.GUARD_BLOCKED));
    assertThat(status.isOpen()).isTrue();
    assertThat(status.rule())
        .isEqualTo(
            "opens at 50% failures among the last 20 samples within 1h (at least 2); counts"
                + " guard-blocked, guard-tripped");
  }

  @Test
  void anOperatorCanOpenABreakerByHandAndOpeningItTwiceChangesNothing() {
    assertThat(breaker.open(REFUNDS, "ops:dana", "bad prompt shipped in v7")).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(breaker.open(REFUNDS, "ops:lee", "me too")).isFalse();

    Status status = breaker.status(REFUNDS);
    assertThat(status.isOpen()).isTrue();
    assertThat(status.changedBy()).isEqualTo("ops:dana");
    assertThat(status.describe())
        .isEqualTo(
            "the quality breaker of workflow refunds is open (since 2026-11-22T10:00:00Z, by"
                + " ops:dana: bad prompt shipped in v7); window: 0 of 0 failed (0%)");
    assertThat(breaker.admit(REFUNDS)).isPresent();
    assertThat(breaker.history(REFUNDS, 10))
        .containsExactly(
            new LogEntry(1, Action.OPEN, REFUNDS, "ops:dana", "bad prompt shipped in v7", T0));
    assertThat(trips).as("a manual open is no trip").isEmpty();
  }

  @Test
  void eachWorkflowHasItsOwnBreakerAndSettings() {
    for (int i = 0; i < 5; i++) {
      run(QualitySignal.ERROR);
    }
    assertThat(breaker.admit(REFUNDS)).isPresent();
    assertThat(breaker.admit("triage")).isEmpty();
    assertThat(breaker.settings("triage")).isEqualTo(QualityBreakerSettings.DEFAULT);
    assertThat(breaker.settings(REFUNDS).minimumSamples()).isEqualTo(5);
  }

  @Test
  void aFailingTripListenerDoesNotStopTheRecording() {
    QualityBreaker noisy =
        QualityBreaker.builder()
            .store(store)
            .clock(clock)
            .defaults(QualityBreakerSettings.DEFAULT.withMinimumSamples(1))
            .onTrip(
                s -> {
                  throw new IllegalStateException("pager down");
                })
            .build();

    Status status = noisy.recordEvaluation("w", false);

    assertThat(status.isOpen()).isTrue();
  }

  @Test
  void theSampleOfARunComesFromItsJournal() {
    InMemoryRunStore journal = new InMemoryRunStore();
    RunId completed = RunId.of("completed");
    append(journal, completed, started(), new RunEvent.RunCompleted(T0, "ok", 1, Usage.ZERO));
    RunId failed = RunId.of("failed");
    append(
        journal,
        failed,
        started(),
        new RunEvent.RunFailed(T0, FailureKind.LOOP, "loop", 3, Usage.ZERO));
    RunId withheld = RunId.of("withheld");
    append(
        journal,
        withheld,
        started(),
        trip("injection-heuristics", GuardTrip.Kind.BLOCK),
        new RunEvent.RunCompleted(T0, "answered without the poisoned result", 2, Usage.ZERO));
    RunId flagged = RunId.of("flagged");
    append(
        journal,
        flagged,
        started(),
        trip("pii", GuardTrip.Kind.REDACT),
        new RunEvent.RunCompleted(T0, "ok", 1, Usage.ZERO));
    RunId suspended = RunId.of("suspended");
    append(journal, suspended, started(), new RunEvent.RunSuspended(T0, "approval"));
    RunId diverted = RunId.of("diverted");
    append(
        journal,
        diverted,
        started(),
        trip(QualityBreaker.GUARD_NAME, GuardTrip.Kind.ESCALATE),
        new RunEvent.RunFailed(
            T0, FailureKind.ESCALATED, "quality-breaker: paused", 0, Usage.ZERO));
    RunId cancelled = RunId.of("cancelled");
    append(journal, cancelled, started(), new RunEvent.RunCancelled(T0, "ops", "", 0, Usage.ZERO));

    assertThat(breaker.recordRun(journal, completed).orElseThrow().window().samples()).isEqualTo(1);
    assertThat(signal(journal, completed)).isEqualTo(QualitySignal.PASSED);
    assertThat(signal(journal, failed)).isEqualTo(QualitySignal.LOOP);
    assertThat(signal(journal, withheld)).isEqualTo(QualitySignal.GUARD_TRIPPED);
    assertThat(signal(journal, flagged)).isEqualTo(QualitySignal.PASSED);
    for (RunId notASample : List.of(suspended, diverted, cancelled, RunId.of("unknown"))) {
      assertThat(QualityBreaker.sampleOf(notASample, journal.read(notASample)))
          .as(notASample.value())
          .isEmpty();
      assertThat(breaker.recordRun(journal, notASample)).isEmpty();
    }
    assertThat(breaker.recordRun(journal, failed).orElseThrow().window())
        .extracting(QualityWindow::samples, QualityWindow::failures)
        .containsExactly(2, 1);
  }

  @Test
  void aRunsEndIsFoundWhenEventsWereAppendedAfterIt() {
    InMemoryRunStore journal = new InMemoryRunStore();
    RunId completed = RunId.of("completed");
    append(
        journal,
        completed,
        started(),
        new RunEvent.RunCompleted(T0, "ok", 1, Usage.ZERO),
        scored(false),
        reverted());
    RunId failed = RunId.of("failed");
    append(
        journal,
        failed,
        started(),
        new RunEvent.RunFailed(T0, FailureKind.DEADLINE, "deadline", 2, Usage.ZERO),
        reverted(),
        reverted(),
        scored(true));
    RunId withheld = RunId.of("withheld");
    append(
        journal,
        withheld,
        started(),
        trip("injection-heuristics", GuardTrip.Kind.ESCALATE),
        new RunEvent.RunCompleted(T0, "answered", 2, Usage.ZERO),
        scored(true));
    RunId diverted = RunId.of("diverted");
    append(
        journal,
        diverted,
        started(),
        trip(QualityBreaker.GUARD_NAME, GuardTrip.Kind.ESCALATE),
        new RunEvent.RunFailed(T0, FailureKind.ESCALATED, "quality-breaker: paused", 0, Usage.ZERO),
        reverted());
    RunId cancelled = RunId.of("cancelled");
    append(
        journal,
        cancelled,
        started(),
        new RunEvent.RunCancelled(T0, "ops", "", 0, Usage.ZERO),
        reverted());

    assertThat(signal(journal, completed)).isEqualTo(QualitySignal.PASSED);
    // the sample is the end's: its time, not that of the verdict or the revert after it
    assertThat(QualityBreaker.sampleOf(completed, journal.read(completed)))
        .contains(QualitySample.ofRun(completed, T0, QualitySignal.PASSED));
    assertThat(signal(journal, failed)).isEqualTo(QualitySignal.DEADLINE);
    assertThat(signal(journal, withheld)).isEqualTo(QualitySignal.GUARD_TRIPPED);
    assertThat(QualityBreaker.sampleOf(diverted, journal.read(diverted))).isEmpty();
    assertThat(QualityBreaker.sampleOf(cancelled, journal.read(cancelled))).isEmpty();
    breaker.recordRun(journal, completed);
    assertThat(breaker.recordRun(journal, failed).orElseThrow().window())
        .extracting(QualityWindow::samples, QualityWindow::failures)
        .containsExactly(2, 1);
  }

  @Test
  void aRunThatHasNotEndedIsNoSampleWhateverComesLast() {
    InMemoryRunStore journal = new InMemoryRunStore();
    RunId suspended = RunId.of("suspended");
    append(journal, suspended, started(), new RunEvent.RunSuspended(T0, "approval"), reverted());

    assertThat(QualityBreaker.sampleOf(suspended, journal.read(suspended))).isEmpty();
    assertThat(breaker.recordRun(journal, suspended)).isEmpty();
  }

  @Test
  void theSettingsSayWhatIsWrongWithThem() {
    QualityBreakerSettings d = QualityBreakerSettings.DEFAULT;
    assertThatThrownBy(() -> d.withWindowSize(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quality-breaker window-size must be between 1 and 1000, but was 0");
    assertThatThrownBy(() -> d.withWindowSize(5))
        .hasMessage(
            "quality-breaker minimum-samples must be between 1 and window-size (5), but was 10");
    assertThatThrownBy(() -> d.withFailureRate(0))
        .hasMessage("quality-breaker failure-rate must be above 0 and at most 1, but was 0.0");
    assertThatThrownBy(() -> d.withFailureRate(Double.NaN))
        .hasMessageContaining("failure-rate must be above 0 and at most 1, but was NaN");
    assertThatThrownBy(() -> d.withWindowDuration(Duration.ZERO))
        .hasMessage("quality-breaker window-duration must be positive, but was PT0S");
    assertThatThrownBy(() -> d.withCounted(EnumSet.noneOf(QualitySignal.class)))
        .hasMessageStartingWith("quality-breaker count must name at least one signal");
    assertThatThrownBy(() -> d.withCountedNames(List.of("passed")))
        .hasMessageStartingWith("quality-breaker count must not contain 'passed'");
    assertThatThrownBy(() -> d.withCountedNames(List.of("errors")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "quality-breaker count: unknown quality signal 'errors'; expected one of passed, error,");
    assertThatThrownBy(() -> d.withMessage(" "))
        .hasMessage(
            "quality-breaker message must not be blank and have at most 1000 characters, but was blank");
    assertThatThrownBy(() -> QualityBreaker.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs a store");
    assertThatThrownBy(() -> breaker.admit(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workflow name must have 1 to 200 characters");
    assertThat(d.describe())
        .isEqualTo(
            "opens at 50% failures among the last 20 samples within 1h (at least 10); counts error,"
                + " step-limit, deadline, loop, guard-blocked, guard-escalated, guard-tripped,"
                + " evaluation-failed");
  }

  private QualitySignal signal(InMemoryRunStore journal, RunId runId) {
    return QualityBreaker.sampleOf(runId, journal.read(runId)).orElseThrow().signal();
  }

  private static RunEvent started() {
    return new RunEvent.RunStarted(T0, REFUNDS, "1", "agent:refunds@1", "dana", "", "task", "m");
  }

  /** Continuous evaluation's verdict, appended after a run's end. */
  static RunEvent scored(boolean passed) {
    return new RunEvent.EvaluationScored(
        T0.plusSeconds(1),
        "100%",
        passed,
        List.of(new RunEvent.EvaluationCheck("max-steps", passed, "1 of at most 3 model calls")));
  }

  /** A revert of one of the run's changes, appended after its end. */
  static RunEvent reverted() {
    return new RunEvent.ChangeReverted(
        T0.plusSeconds(2),
        "call_1_1",
        "set_bio",
        "set_bio",
        "{\"bio\":\"\"}",
        RunEvent.CallStatus.SUCCEEDED,
        "bio restored",
        "ops");
  }

  private static RunEvent trip(String guard, GuardTrip.Kind kind) {
    return new RunEvent.GuardTripped(T0, guard, GuardStage.INPUT, kind, "why", null, null);
  }

  private static void append(InMemoryRunStore journal, RunId runId, RunEvent... events) {
    journal.appendAll(runId, 0, List.of(events));
  }
}
