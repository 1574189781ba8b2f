package dev.bridle.core.run;

import static dev.bridle.core.model.ScriptedChatModel.Builder.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Resuming after a crash, with the crash simulated in-process: the journal throws right after the
 * chosen event is appended, as if the process died there. (The real kill -9 tests are in
 * bridle-store.)
 */
class ResumeTest {

  /** These tests are about durability: the external tool runs without asking anyone. */
  private static final Policy UNATTENDED =
      Policy.builder()
          .mode(Mode.AUTONOMOUS)
          .maxUnapprovedEffect(Effect.EXTERNAL)
          .rule(Rule.allow("*"))
          .build();

  record Send(String to) {}

  /** Thrown by the journal to stand for the process dying. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** A store that "crashes" right after appending the n-th event of one type. */
  static final class CrashingStore extends ForwardingRunStore {
    private final Class<? extends RunEvent> crashAfter;
    private int remaining;

    CrashingStore(RunStore delegate, Class<? extends RunEvent> crashAfter, int nth) {
      super(delegate);
      this.crashAfter = crashAfter;
      this.remaining = nth;
    }

    @Override
    public long append(RunId runId, long expectedLastSeq, RunEvent event) {
      long seq = super.append(runId, expectedLastSeq, event);
      if (crashAfter.isInstance(event) && --remaining == 0) {
        throw new SimulatedCrash();
      }
      return seq;
    }
  }

  private final InMemoryRunStore store = new InMemoryRunStore();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger modelCalls = new AtomicInteger();
  private final RunId runId = RunId.of("run-crash");

  private final ScriptedChatModel script =
      ScriptedChatModel.builder()
          .name("mailer")
          .thenCalls(call("send", Map.of("to", "a@x.test")), call("send", Map.of("to", "b@x.test")))
          .thenAnswer("sent two")
          .build();

  private Agent agent(boolean idempotent, RunStore journal) {
    ChatModel counting =
        new ChatModel() {
          @Override
          public dev.bridle.core.model.ModelResponse chat(
              dev.bridle.core.model.ModelRequest request) {
            modelCalls.incrementAndGet();
            return script.chat(request);
          }

          @Override
          public String id() {
            return script.id();
          }
        };
    Tool<Send> send =
        Tool.builder("send", Send.class)
            .description("Send a message")
            .effect(Effect.EXTERNAL)
            .idempotent(idempotent)
            .handler(
                (args, ctx) -> {
                  sent.add(args.to() + " key=" + ctx.idempotencyKey());
                  return "sent";
                })
            .build();
    return Agent.builder()
        .name("mailer")
        .policy(UNATTENDED)
        .model(counting)
        .tool(send)
        .journal(journal)
        .snapshotEvery(3)
        .build();
  }

  private void crashAfter(Class<? extends RunEvent> type, int nth, boolean idempotent) {
    Agent crashing = agent(idempotent, new CrashingStore(store, type, nth));
    assertThatThrownBy(() -> crashing.run(runId, "send both")).isInstanceOf(SimulatedCrash.class);
  }

  @Test
  void afterModelRespondedTheResponseIsNotRequestedAgainAndEachCallRunsOnce() {
    crashAfter(RunEvent.ModelResponded.class, 1, false);
    assertThat(modelCalls).hasValue(1);
    assertThat(sent).isEmpty();

    RunResult result = agent(false, store).resume(runId);

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("sent two"));
    assertThat(modelCalls).hasValue(2);
    assertThat(sent)
        .containsExactly("a@x.test key=run-crash/call_1_1", "b@x.test key=run-crash/call_1_2");
    assertThat(types()).contains("RunResumed").doesNotContain("ToolCallInDoubt");
  }

  @Test
  void afterToolCallStartedANonIdempotentCallIsInDoubtAndTheRunSuspends() {
    crashAfter(RunEvent.ToolCallStarted.class, 2, false);
    assertThat(sent).containsExactly("a@x.test key=run-crash/call_1_1");

    RunResult result = agent(false, store).resume(runId);

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(result.outcome().message()).contains("call_1_2").contains("did it happen?");
    assertThat(sent).hasSize(1);
    assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.SUSPENDED);
    RunEvent.ToolCallInDoubt doubt = only(RunEvent.ToolCallInDoubt.class);
    assertThat(doubt.idempotencyKey()).isEqualTo("run-crash/call_1_2");

    int events = store.read(runId).size();
    RunResult again = agent(false, store).resume(runId);
    assertThat(again.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(store.read(runId)).hasSize(events);
    assertThat(sent).hasSize(1);
  }

  @Test
  void afterToolCallStartedAnIdempotentCallRunsAgainWithTheSameKey() {
    crashAfter(RunEvent.ToolCallStarted.class, 2, true);

    RunResult result = agent(true, store).resume(runId);

    assertThat(result.completed()).isTrue();
    assertThat(sent)
        .containsExactly("a@x.test key=run-crash/call_1_1", "b@x.test key=run-crash/call_1_2");
    assertThat(modelCalls).hasValue(2);
  }

  @Test
  void afterToolCallCompletedNothingRunsTwice() {
    crashAfter(RunEvent.ToolCallCompleted.class, 1, false);

    RunResult result = agent(false, store).resume(runId);

    assertThat(result.completed()).isTrue();
    assertThat(sent).hasSize(2);
    assertThat(modelCalls).hasValue(2);
    assertThat(result.toolCalls()).extracting(ToolCallSummary::status).containsOnly("succeeded");
  }

  @Test
  void afterTheFinalAnswerWasRecordedTheRunEndsWithItWithoutAskingAgain() {
    crashAfter(RunEvent.ModelResponded.class, 2, false);
    assertThat(modelCalls).hasValue(2);

    RunResult result = agent(false, store).resume(runId);

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("sent two"));
    assertThat(modelCalls).hasValue(2);
    assertThat(sent).hasSize(2);
  }

  @Test
  void aCallTheLoopDetectorStoppedIsNotRunAfterACrashBeforeTheRunFailed() {
    AtomicInteger sends = new AtomicInteger();
    Tool<Send> send =
        Tool.builder("send", Send.class)
            .description("Send")
            .effect(Effect.EXTERNAL)
            .handler(
                (args, ctx) -> {
                  sends.incrementAndGet();
                  return "sent";
                })
            .build();
    ChatModel sameCallForever =
        request ->
            new dev.bridle.core.model.ModelResponse(
                new dev.bridle.core.model.ChatMessage.Assistant(
                    "",
                    List.of(
                        new dev.bridle.core.model.ToolCall(
                            "c" + request.messages().size(), "send", "{\"to\":\"a@x.test\"}"))),
                dev.bridle.core.model.Usage.ZERO,
                "m");
    Agent crashing =
        Agent.builder()
            .name("mailer")
            .policy(UNATTENDED)
            .model(sameCallForever)
            .tool(send)
            .journal(new CrashingStore(store, RunEvent.ToolCallProposed.class, 3))
            .build();
    assertThatThrownBy(() -> crashing.run(runId, "t")).isInstanceOf(SimulatedCrash.class);
    assertThat(sends).hasValue(2);

    RunResult result =
        Agent.builder()
            .name("mailer")
            .policy(UNATTENDED)
            .model(sameCallForever)
            .tool(send)
            .journal(store)
            .build()
            .resume(runId);

    assertThat(result.outcome()).isInstanceOf(RunOutcome.LoopDetected.class);
    assertThat(sends).as("the third identical call never ran").hasValue(2);
  }

  @Test
  void aRunStoppedBetweenInDoubtAndSuspendedIsSuspendedOnResume() {
    crashAfter(RunEvent.ToolCallStarted.class, 2, false);
    Agent crashingAgain = agent(false, new CrashingStore(store, RunEvent.ToolCallInDoubt.class, 1));
    assertThatThrownBy(() -> crashingAgain.resume(runId)).isInstanceOf(SimulatedCrash.class);
    assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

    RunResult result = agent(false, store).resume(runId);

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.SUSPENDED);
    assertThat(sent).hasSize(1);
  }

  @Test
  void theJournaledIdempotencyDecidesNotTheCurrentTool() {
    crashAfter(RunEvent.ToolCallStarted.class, 2, false);

    RunResult result = agent(true, store).resume(runId);

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aNonIdempotentToolThatTimesOutIsInDoubtNotRetriedByTheModel() {
    AtomicInteger charges = new AtomicInteger();
    Tool<Send> slowCharge =
        Tool.builder("send", Send.class)
            .description("Charge a card")
            .effect(Effect.EXTERNAL)
            .timeout(java.time.Duration.ofMillis(50))
            .handler(
                (args, ctx) -> {
                  charges.incrementAndGet();
                  Thread.sleep(5_000);
                  return "charged";
                })
            .build();
    Agent agent =
        Agent.builder()
            .name("mailer")
            .policy(UNATTENDED)
            .model(script)
            .tool(slowCharge)
            .journal(store)
            .build();

    RunResult result = agent.run(runId, "charge");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(result.outcome().message()).contains("may still have acted");
    assertThat(charges).hasValue(1);
    assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.SUSPENDED);
  }

  @Test
  void aStopRequestEndsTheRunBeforeItsNextStepAndItStaysResumable() {
    crashAfter(RunEvent.ModelResponded.class, 1, false);
    int events = store.read(runId).size();

    assertThatThrownBy(() -> agent(false, store).resume(runId, "node-1", () -> true))
        .isInstanceOf(RunInterruptedException.class);
    assertThat(sent).isEmpty();
    assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.read(runId)).hasSize(events + 1);

    assertThat(agent(false, store).resume(runId).completed()).isTrue();
    assertThat(sent).hasSize(2);
  }

  @Test
  void resumingReadsOnlyTheEventsAfterTheLatestSnapshot() {
    crashAfter(RunEvent.ToolCallCompleted.class, 2, false);
    long snapshotSeq = store.latestSnapshot(runId).orElseThrow().seq();
    List<Long> readsFrom = new CopyOnWriteArrayList<>();
    RunStore watching =
        new ForwardingRunStore(store) {
          @Override
          public List<JournalEntry> readAfter(RunId id, long afterSeq) {
            readsFrom.add(afterSeq);
            return super.readAfter(id, afterSeq);
          }
        };

    Resumption.load(watching, runId);

    assertThat(readsFrom).containsExactly(snapshotSeq);
  }

  @Test
  void theStateRebuiltFromASnapshotEqualsTheFullReplay() {
    crashAfter(RunEvent.ToolCallCompleted.class, 2, false);
    Snapshot snapshot = store.latestSnapshot(runId).orElseThrow();
    assertThat(snapshot.seq() % 3).isZero();

    RunState fromSnapshot = Resumption.load(store, runId);
    RunState fromEvents = RunState.replay(runId, store.read(runId));

    assertThat(fromSnapshot).isEqualTo(fromEvents);
    assertThat(RunState.fromJson(fromEvents.toJson())).isEqualTo(fromEvents);
  }

  @Test
  void resumingAnEndedRunReturnsItsOutcomeAndAppendsNothing() {
    RunResult first = agent(false, store).run(runId, "send both");
    int events = store.read(runId).size();

    RunResult again = agent(false, store).resume(runId);

    assertThat(again.outcome()).isEqualTo(first.outcome());
    assertThat(store.read(runId)).hasSize(events);
    assertThat(sent).hasSize(2);
  }

  @Test
  void aRunIsOnlyResumedByItsOwnWorkflowAndMustExist() {
    agent(false, store).run(runId, "send both");
    Agent other = Agent.builder().name("other").model(script).journal(store).build();

    assertThatThrownBy(() -> other.resume(runId))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("run run-crash belongs to workflow 'mailer', not 'other'");
    assertThatThrownBy(() -> other.resume(RunId.of("nope")))
        .hasMessage("no run nope in the journal");
  }

  @Test
  void theRunIndexFollowsTheJournal() {
    agent(false, store).run(runId, "send both", "dana");

    RunSummary summary = store.find(runId).orElseThrow();
    assertThat(summary.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(summary.user()).isEqualTo("dana");
    assertThat(summary.workflow()).isEqualTo("mailer");
    assertThat(summary.steps()).isEqualTo(2);
    assertThat(summary.lastSeq()).isEqualTo(store.read(runId).size());
    assertThat(store.list(RunQuery.ALL.withStatus(RunStatus.COMPLETED))).hasSize(1);
    assertThat(store.list(RunQuery.ALL.withUser("someone-else"))).isEmpty();
  }

  private List<String> types() {
    return store.read(runId).stream().map(e -> e.event().getClass().getSimpleName()).toList();
  }

  private <T extends RunEvent> T only(Class<T> type) {
    List<T> matching =
        store.read(runId).stream()
            .map(JournalEntry::event)
            .filter(type::isInstance)
            .map(type::cast)
            .toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }
}
