package dev.bridle.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.FailureKind;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fallback queue finds a run's escalation wherever it is in the journal: events appended after
 * a run's end (continuous evaluation's verdict, reverts) do not hide it.
 */
class FallbackQueueTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final InMemoryRunStore journal = new InMemoryRunStore();
  private final FallbackQueue queue = new FallbackQueue(journal);

  @Test
  void anEscalatedRunStaysInTheQueueWhenEventsAreAppendedAfterItsEnd() {
    RunId plain = escalated("plain", T0);
    RunId scored = escalated("scored", T0.plusSeconds(1), QualityBreakerTest.scored(false));
    RunId reverted =
        escalated(
            "reverted",
            T0.plusSeconds(2),
            QualityBreakerTest.reverted(),
            QualityBreakerTest.scored(true));
    List<RunEvent> manyReverts = new ArrayList<>();
    for (int i = 0; i < FallbackQueue.TAIL + 3; i++) {
      manyReverts.add(QualityBreakerTest.reverted());
    }
    RunId longTail =
        escalated("long-tail", T0.plusSeconds(3), manyReverts.toArray(RunEvent[]::new));
    RunId errored = RunId.of("errored");
    journal.appendAll(
        errored,
        0,
        List.of(
            started(T0.plusSeconds(4)),
            new RunEvent.RunFailed(
                T0.plusSeconds(4), FailureKind.ERROR, "model down", 1, Usage.ZERO),
            QualityBreakerTest.scored(false)));

    assertThat(queue.list("refunds", 10))
        .extracting(FallbackQueue.Item::runId)
        .containsExactlyInAnyOrder(plain, scored, reverted, longTail);
    for (RunId runId : List.of(plain, scored, reverted, longTail)) {
      FallbackQueue.Item item = queue.find(runId).orElseThrow();
      assertThat(item.guard()).as(runId.value()).isEqualTo("pii");
      assertThat(item.reason()).isEqualTo("a card number; a person answers");
      assertThat(item.task()).isEqualTo("Refund order " + runId.value());
    }
    assertThat(queue.find(longTail).orElseThrow().escalatedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(queue.find(errored)).isEmpty();
  }

  /** A run a guard escalated at {@code at}, then {@code after} appended. */
  private RunId escalated(String id, Instant at, RunEvent... after) {
    RunId runId = RunId.of(id);
    List<RunEvent> events = new ArrayList<>();
    events.add(
        new RunEvent.RunStarted(
            at, "refunds", "1", "agent:refunds@1", "dana", "", "Refund order " + id, "m"));
    events.add(
        new RunEvent.GuardTripped(
            at,
            "pii",
            GuardStage.INPUT,
            GuardTrip.Kind.ESCALATE,
            "a card number; a person answers",
            null,
            null));
    events.add(
        new RunEvent.RunFailed(
            at, FailureKind.ESCALATED, "pii: a card number; a person answers", 0, Usage.ZERO));
    events.addAll(List.of(after));
    journal.appendAll(runId, 0, events);
    return runId;
  }

  private static RunEvent started(Instant at) {
    return new RunEvent.RunStarted(
        at, "refunds", "1", "agent:refunds@1", "dana", "", "Refund order errored", "m");
  }
}
