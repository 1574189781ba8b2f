package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreaker.Action;
import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.State;
import dev.bridle.core.control.QualityBreaker.Status;
import dev.bridle.core.control.QualityBreakerSettings;
import dev.bridle.core.control.QualityBreakerStore;
import dev.bridle.core.control.QualityBreakerStore.Recorded;
import dev.bridle.core.control.QualitySample;
import dev.bridle.core.control.QualitySignal;
import dev.bridle.core.control.QualityWindow;
import dev.bridle.core.journal.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QualityBreakerStore} must do: keep each sample once, evaluate the window (size,
 * age, last close), trip once, open and close by hand with a log of who, when and why, and, for the
 * durable ones, share all of it between the nodes of one database. Core's in-memory store is the
 * reference.
 */
abstract class QualityBreakerStoreContract {

  static final String REFUNDS = "refunds";

  /** At least 3 samples, a window of 5 within an hour, opens at 50%. */
  static final QualityBreakerSettings SETTINGS =
      QualityBreakerSettings.DEFAULT.withMinimumSamples(3).withWindowSize(5).withFailureRate(0.5);

  protected final ManualClock clock = new ManualClock(at(0));
  protected QualityBreakerStore breakers;
  private int samples;

  /** A new store over an empty database, timed by {@code clock}. */
  protected abstract QualityBreakerStore open(Clock clock) throws Exception;

  /** Another node's store on the database of the last {@link #open}. */
  protected abstract QualityBreakerStore openAnotherNode(Clock clock) throws Exception;

  /** Releases what {@link #open} took. */
  protected void close(QualityBreakerStore store) {}

  @BeforeEach
  void openTheStore() throws Exception {
    breakers = open(clock);
  }

  @AfterEach
  void closeTheStore() {
    close(breakers);
  }

  /** A sample of a new run that ended now. */
  private QualitySample sample(QualitySignal signal) {
    return QualitySample.ofRun(RunId.of("run-" + ++samples), clock.instant(), signal);
  }

  private Recorded record(QualitySignal signal) {
    return breakers.record(REFUNDS, sample(signal), SETTINGS);
  }

  @Test
  void aStoreKnowsNoBreakerAtFirstAndClosingOneCreatesNothing() {
    assertThat(breakers.status(REFUNDS)).isEmpty();
    assertThat(breakers.statuses()).isEmpty();
    assertThat(breakers.close(REFUNDS, "ops:lee", "")).isFalse();
    assertThat(breakers.status(REFUNDS)).isEmpty();
    assertThat(breakers.history(10)).isEmpty();
    assertThat(breakers.history(REFUNDS, 10)).isEmpty();
  }

  @Test
  void theFirstSampleCreatesAClosedBreakerWithItsWindow() {
    clock.set(at(3));
    Recorded recorded = record(QualitySignal.ERROR);

    Status expected =
        new Status(
            REFUNDS,
            State.CLOSED,
            "",
            "",
            at(3),
            Instant.EPOCH,
            new QualityWindow(1, 1, at(3)),
            SETTINGS.describe());
    assertThat(recorded).isEqualTo(new Recorded(expected, true, false));
    assertThat(breakers.status(REFUNDS)).contains(expected);
    assertThat(breakers.statuses()).containsExactly(expected);
  }

  @Test
  void aSampleIsKeptOnceWhateverHowOftenItIsRecorded() {
    QualitySample once = sample(QualitySignal.ERROR);
    assertThat(breakers.record(REFUNDS, once, SETTINGS).added()).isTrue();
    Recorded again = breakers.record(REFUNDS, once, SETTINGS);
    Recorded third =
        breakers.record(
            REFUNDS, new QualitySample(once.id(), once.at(), QualitySignal.PASSED), SETTINGS);

    assertThat(again.added()).isFalse();
    assertThat(third.added()).isFalse();
    assertThat(third.status().window())
        .extracting(QualityWindow::samples, QualityWindow::failures)
        .as("the first recording stands")
        .containsExactly(1, 1);
  }

  @Test
  void theBreakerTripsOnceWhenTheWindowReachesTheRateAfterTheMinimum() {
    clock.set(at(1));
    record(QualitySignal.ERROR);
    clock.set(at(2));
    assertThat(record(QualitySignal.LOOP).tripped()).as("2 samples, under the minimum").isFalse();
    clock.set(at(3));
    assertThat(record(QualitySignal.PASSED).tripped()).as("3 samples, 67%: the minimum").isTrue();

    Status open = breakers.status(REFUNDS).orElseThrow();
    assertThat(open.state()).isEqualTo(State.OPEN);
    assertThat(open.changedBy()).isEqualTo(QualityBreaker.TRIPPED_BY);
    assertThat(open.changedAt()).isEqualTo(at(3));
    assertThat(open.reason()).isEqualTo("failure rate 66.7% (2 of the last 3 samples) reached 50%");
    assertThat(open.window()).isEqualTo(new QualityWindow(3, 2, at(3)));

    clock.set(at(4));
    Recorded more = record(QualitySignal.ERROR);
    assertThat(more.tripped()).isFalse();
    assertThat(more.status().state()).isEqualTo(State.OPEN);
    assertThat(more.status().changedAt()).as("still the trip's").isEqualTo(at(3));
    assertThat(more.status().window()).isEqualTo(new QualityWindow(4, 3, at(4)));
    assertThat(breakers.history(10))
        .containsExactly(
            new LogEntry(
                1,
                Action.TRIP,
                REFUNDS,
                QualityBreaker.TRIPPED_BY,
                "failure rate 66.7% (2 of the last 3 samples) reached 50%",
                at(3)));
  }

  @Test
  void theWindowHoldsTheNewestSamplesOnlyAndNoneOlderThanItsDuration() {
    for (int i = 1; i <= 4; i++) {
      clock.set(at(i));
      record(QualitySignal.PASSED);
    }
    clock.set(at(5));
    record(QualitySignal.ERROR);
    clock.set(at(6));
    // 6 samples, the window holds 5: the oldest pass is out; 2 of 5 failed
    assertThat(record(QualitySignal.ERROR).status().window())
        .isEqualTo(new QualityWindow(5, 2, at(6)));

    // an hour later the old ones are gone: 1 of 1
    clock.set(at(6).plus(Duration.ofHours(1)));
    Recorded later = record(QualitySignal.PASSED);
    assertThat(later.status().window()).isEqualTo(new QualityWindow(1, 0, clock.instant()));

    // a sample that arrives late, older than the window, is kept but does not count
    Recorded late =
        breakers.record(
            REFUNDS, QualitySample.ofRun(RunId.of("late"), at(0), QualitySignal.ERROR), SETTINGS);
    assertThat(late.added()).isTrue();
    assertThat(late.status().window()).isEqualTo(new QualityWindow(1, 0, clock.instant()));
  }

  @Test
  void closingStartsTheWindowAfreshSoTheOldFailuresDoNotTripItAgain() {
    for (int i = 1; i <= 3; i++) {
      clock.set(at(i));
      record(QualitySignal.ERROR);
    }
    assertThat(breakers.status(REFUNDS).orElseThrow().state()).isEqualTo(State.OPEN);

    clock.set(at(10));
    assertThat(breakers.close(REFUNDS, "ops:lee", "provider fixed")).isTrue();
    assertThat(breakers.close(REFUNDS, "ops:dana", "")).as("closed already").isFalse();

    Status closed = breakers.status(REFUNDS).orElseThrow();
    assertThat(closed)
        .isEqualTo(
            new Status(
                REFUNDS,
                State.CLOSED,
                "ops:lee",
                "provider fixed",
                at(10),
                at(10),
                QualityWindow.empty(at(10)),
                SETTINGS.describe()));

    // the run that ended at 3 is recorded again (a retry): it is from before the close
    clock.set(at(11));
    Recorded old =
        breakers.record(
            REFUNDS, QualitySample.ofRun(RunId.of("run-3"), at(3), QualitySignal.ERROR), SETTINGS);
    assertThat(old.status().window().samples()).isZero();
    record(QualitySignal.ERROR);
    assertThat(record(QualitySignal.ERROR).status().state())
        .as("two new failures, under the minimum")
        .isEqualTo(State.CLOSED);
    clock.set(at(12));
    assertThat(record(QualitySignal.ERROR).tripped()).isTrue();

    assertThat(breakers.history(REFUNDS, 10))
        .extracting(LogEntry::seq, LogEntry::action, LogEntry::by)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3L, Action.TRIP, QualityBreaker.TRIPPED_BY),
            org.assertj.core.groups.Tuple.tuple(2L, Action.CLOSE, "ops:lee"),
            org.assertj.core.groups.Tuple.tuple(1L, Action.TRIP, QualityBreaker.TRIPPED_BY));
  }

  @Test
  void anOperatorOpensABreakerByHandOnceAndItKeepsItsWindow() {
    clock.set(at(1));
    record(QualitySignal.PASSED);
    clock.set(at(2));
    assertThat(breakers.open(REFUNDS, "ops:dana", "bad prompt in v7")).isTrue();
    clock.set(at(3));
    assertThat(breakers.open(REFUNDS, "ops:lee", "me too")).isFalse();
    assertThat(breakers.open("triage", "ops:lee", null)).as("a workflow never seen").isTrue();

    assertThat(breakers.status(REFUNDS))
        .contains(
            new Status(
                REFUNDS,
                State.OPEN,
                "ops:dana",
                "bad prompt in v7",
                at(2),
                Instant.EPOCH,
                new QualityWindow(1, 0, at(1)),
                SETTINGS.describe()));
    assertThat(breakers.status("triage").orElseThrow().reason()).isEmpty();
    assertThat(breakers.statuses()).extracting(Status::workflow).containsExactly(REFUNDS, "triage");
    assertThat(breakers.history(10))
        .containsExactly(
            new LogEntry(2, Action.OPEN, "triage", "ops:lee", "", at(3)),
            new LogEntry(1, Action.OPEN, REFUNDS, "ops:dana", "bad prompt in v7", at(2)));
    assertThat(breakers.history(REFUNDS, 10)).hasSize(1);
    assertThat(breakers.history(1)).extracting(LogEntry::workflow).containsExactly("triage");
  }

  @Test
  void badArgumentsAreRefusedAndNothingIsLogged() {
    assertThatThrownBy(() -> breakers.open(" ", "ops:lee", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workflow name must have 1 to 200 characters");
    assertThatThrownBy(() -> breakers.open("w".repeat(201), "ops:lee", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> breakers.open(REFUNDS, null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("by");
    assertThatThrownBy(() -> breakers.history(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history limit must be between 1 and 10000, but was 0");
    assertThatThrownBy(() -> breakers.history(REFUNDS, 10_001))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(breakers.history(10)).isEmpty();
    assertThat(breakers.statuses()).isEmpty();
  }

  @Test
  void textIsKeptAsGiven() {
    String reason = "Rückerstattungen laufen Amok — 日本の顧客 🚨, \"quoted\"; DROP TABLE runs;--";
    breakers.open("rückerstattung-ü", "ops:zoë", reason);

    Status status = breakers.status("rückerstattung-ü").orElseThrow();
    assertThat(status.reason()).isEqualTo(reason);
    assertThat(status.changedBy()).isEqualTo("ops:zoë");
    assertThat(breakers.history("rückerstattung-ü", 1).getFirst().reason()).isEqualTo(reason);
  }

  @Test
  void everyNodeOfTheDatabaseSeesTheBreakersAndTheLog() throws Exception {
    QualityBreakerStore other = openAnotherNode(clock);
    try {
      for (int i = 1; i <= 3; i++) {
        clock.set(at(i));
        (i % 2 == 0 ? other : breakers).record(REFUNDS, sample(QualitySignal.ERROR), SETTINGS);
      }
      assertThat(other.status(REFUNDS).orElseThrow().state()).isEqualTo(State.OPEN);

      clock.set(at(4));
      assertThat(other.close(REFUNDS, "ops:dana", "checked")).isTrue();
      assertThat(breakers.status(REFUNDS).orElseThrow().state()).isEqualTo(State.CLOSED);
      assertThat(breakers.close(REFUNDS, "ops:lee", "")).isFalse();
      assertThat(breakers.history(10)).isEqualTo(other.history(10)).hasSize(2);
    } finally {
      if (other != breakers) {
        close(other);
      }
    }
  }

  /** Two nodes, several threads each, all recording failures at once: the breaker trips once. */
  @Test
  void concurrentSamplesOnTwoNodesTripTheBreakerOnceAndCountEachSampleOnce() throws Exception {
    int threadsPerNode = 4;
    int samplesPerThread = 6;
    QualityBreakerSettings settings =
        QualityBreakerSettings.DEFAULT.withWindowSize(100).withMinimumSamples(10);
    CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
    ExecutorService threads = Executors.newFixedThreadPool(2 * threadsPerNode);
    QualityBreakerStore other = openAnotherNode(clock);
    List<Boolean> tripped = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerNode; t++) {
        QualityBreakerStore node = t % 2 == 0 ? breakers : other;
        int thread = t;
        done.add(
            threads.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < samplesPerThread; i++) {
                    QualitySample sample =
                        QualitySample.ofRun(
                            RunId.of("run-" + thread + "-" + i), at(1), QualitySignal.ERROR);
                    tripped.add(node.record(REFUNDS, sample, settings).tripped());
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      if (other != breakers) {
        close(other);
      }
    }

    int total = 2 * threadsPerNode * samplesPerThread;
    assertThat(tripped).hasSize(total);
    assertThat(tripped.stream().filter(t -> t).count()).isEqualTo(1);
    assertThat(breakers.history(100)).extracting(LogEntry::action).containsExactly(Action.TRIP);
    assertThat(breakers.status(REFUNDS).orElseThrow().window())
        .isEqualTo(new QualityWindow(total, total, at(0)));
  }
}
