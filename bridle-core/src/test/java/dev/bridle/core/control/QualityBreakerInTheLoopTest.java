package dev.bridle.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.guard.Guards;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.Usage;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The breaker with the real run loop and journal: failing runs trip it, the next task goes to the
 * fallback queue without reaching the model (kept, with the requester's message), an operator
 * closes it, and the kept task runs again.
 */
class QualityBreakerInTheLoopTest {

  private static final String MESSAGE =
      "Refunds are handled by the refunds desk for now; your request was passed on unchanged.";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryRunStore journal = new InMemoryRunStore();
  private final QualityBreaker breaker =
      QualityBreaker.builder()
          .store(new InMemoryQualityBreakerStore(clock))
          .clock(clock)
          .settings(
              "refunds",
              QualityBreakerSettings.DEFAULT
                  .withMinimumSamples(4)
                  .withWindowSize(10)
                  .withFailureRate(0.5)
                  .withMessage(MESSAGE))
          .build();

  /** A provider that answers until it is broken. */
  private final AtomicBoolean broken = new AtomicBoolean();

  private final AtomicInteger modelCalls = new AtomicInteger();
  private final ChatModel model =
      new ChatModel() {
        @Override
        public ModelResponse chat(ModelRequest request) {
          modelCalls.incrementAndGet();
          if (broken.get()) {
            throw new ModelException(
                ModelException.Kind.MALFORMED_RESPONSE, "garbled completion", null);
          }
          return new ModelResponse(ChatMessage.Assistant.text("Refund issued."), Usage.ZERO, id());
        }

        @Override
        public String id() {
          return "flaky";
        }
      };

  private Agent agent(GuardChain guards) {
    return Agent.builder()
        .name("refunds")
        .model(model)
        .journal(journal)
        .clock(clock)
        .guards(guards)
        .qualityBreaker(breaker)
        .build();
  }

  /** Runs a task; the loop reports the ended run to the breaker by itself. */
  private RunResult run(Agent agent, String task) {
    clock.advance(Duration.ofSeconds(1));
    return agent.run(RunId.random(), task, "dana");
  }

  @Test
  void failingRunsTripTheBreakerTasksGoToTheFallbackQueueAndRunAgainAfterTheClose() {
    Agent agent = agent(GuardChain.none());
    assertThat(run(agent, "refund order 1").outcome()).isInstanceOf(RunOutcome.Completed.class);
    assertThat(run(agent, "refund order 2").outcome()).isInstanceOf(RunOutcome.Completed.class);

    broken.set(true);
    assertThat(run(agent, "refund order 3").outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(breaker.status("refunds").isOpen()).as("1 of 3, under the minimum").isFalse();
    run(agent, "refund order 4");
    QualityBreaker.Status open = breaker.status("refunds");
    assertThat(open.isOpen()).as("2 of 4 failed").isTrue();
    assertThat(open.reason()).isEqualTo("failure rate 50% (2 of the last 4 samples) reached 50%");

    int callsBefore = modelCalls.get();
    RunResult diverted = run(agent, "refund order 5, customer is waiting");

    assertThat(diverted.outcome())
        .isEqualTo(new RunOutcome.Escalated(QualityBreaker.GUARD_NAME, MESSAGE));
    assertThat(diverted.outcome().message()).contains(MESSAGE);
    assertThat(modelCalls.get()).as("the model is not asked").isEqualTo(callsBefore);
    List<RunEvent> events =
        journal.read(diverted.runId()).stream().map(JournalEntry::event).toList();
    assertThat(events).hasSize(3);
    assertThat(((RunEvent.RunStarted) events.get(0)).task())
        .isEqualTo("refund order 5, customer is waiting");
    RunEvent.GuardTripped trip = (RunEvent.GuardTripped) events.get(1);
    assertThat(trip.guard()).isEqualTo(QualityBreaker.GUARD_NAME);
    assertThat(trip.kind()).isEqualTo(GuardTrip.Kind.ESCALATE);
    assertThat(((RunEvent.RunFailed) events.get(2)).kind())
        .isEqualTo(RunEvent.FailureKind.ESCALATED);
    assertThat(breaker.status("refunds").window().samples())
        .as("a diverted run says nothing about the agent")
        .isEqualTo(4);

    FallbackQueue queue = new FallbackQueue(journal);
    List<FallbackQueue.Item> waiting = queue.list("refunds", 10);
    assertThat(waiting).hasSize(1);
    FallbackQueue.Item item = waiting.getFirst();
    assertThat(item.runId()).isEqualTo(diverted.runId());
    assertThat(item.user()).isEqualTo("dana");
    assertThat(item.task()).isEqualTo("refund order 5, customer is waiting");
    assertThat(item.reason()).isEqualTo(MESSAGE);
    assertThat(item.byQualityBreaker()).isTrue();
    assertThat(queue.list(10)).containsExactly(item);
    assertThat(queue.list("triage", 10)).isEmpty();

    broken.set(false);
    assertThat(breaker.close("refunds", "ops:lee", "provider fixed")).isTrue();
    assertThat(breaker.history("refunds", 10))
        .extracting(QualityBreaker.LogEntry::action)
        .containsExactly(QualityBreaker.Action.CLOSE, QualityBreaker.Action.TRIP);

    FallbackQueue.Item kept = queue.find(diverted.runId()).orElseThrow();
    RunResult again = run(agent, kept.task());
    assertThat(again.outcome()).isEqualTo(new RunOutcome.Completed("Refund issued."));
    assertThat(breaker.status("refunds").window())
        .extracting(QualityWindow::samples, QualityWindow::failures)
        .containsExactly(1, 0);
  }

  @Test
  void theKeptTaskIsTheOneTheEarlierGuardsRedacted() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> config =
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .readValue("chain:\n  - {type: pii, stages: [input]}\n", Map.class);
    Agent agent = agent(Guards.fromConfig(config));
    breaker.open("refunds", "ops:lee", "bad prompt in v7");

    RunResult result = run(agent, "refund card 4111 1111 1111 1111 please");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Escalated.class);
    String kept = new FallbackQueue(journal).find(result.runId()).orElseThrow().task();
    assertThat(kept).doesNotContain("4111").contains("[REDACTED:");
    assertThat(modelCalls.get()).isZero();
  }

  @Test
  void aFailedEvaluationStreakTripsTheBreakerOfAWorkflowThatNeverFailedARun() {
    Agent agent = agent(GuardChain.none());
    run(agent, "refund order 1");
    for (int i = 0; i < 3; i++) {
      breaker.recordEvaluation("refunds", "eval-" + i, false);
    }
    assertThat(breaker.status("refunds").isOpen()).isTrue();
    assertThat(run(agent, "refund order 2").outcome()).isInstanceOf(RunOutcome.Escalated.class);
  }
}
