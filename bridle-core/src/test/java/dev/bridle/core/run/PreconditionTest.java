package dev.bridle.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A tool's precondition through the run loop: it runs after the arguments are validated and policy
 * decided, before a human is asked, before the call runs (again after an approval), and in shadow
 * mode; a refusal asks nobody, runs nothing and tells the model.
 */
class PreconditionTest {

  record Cancel(String orderId) {}

  private static final String NOT_PENDING = "Error: non-pending order cannot be cancelled";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final RunId runId = RunId.of("run-p");
  private final Map<String, String> orders = new ConcurrentHashMap<>(Map.of("O1", "pending"));
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger checks = new AtomicInteger();
  private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

  private Tool.Builder<Cancel> cancelOrder() {
    return Tool.builder("cancel_order", Cancel.class)
        .description("Cancel a pending order")
        .effect(Effect.EXTERNAL)
        .handler(
            (a, ctx) -> {
              executions.incrementAndGet();
              orders.put(a.orderId(), "cancelled");
              return "cancelled " + a.orderId();
            });
  }

  private Tool<Cancel> checkedCancelOrder() {
    return cancelOrder()
        .precondition(
            (a, ctx) -> {
              checks.incrementAndGet();
              return "pending".equals(orders.get(a.orderId()))
                  ? Optional.empty()
                  : Optional.of(NOT_PENDING);
            })
        .build();
  }

  private Agent agent(Policy policy, Tool<Cancel> tool) {
    ChatModel scripted =
        ScriptedChatModel.builder()
            .name("t")
            .thenCall("cancel_order", Map.of("orderId", "O1"))
            .thenAnswer("done")
            .build();
    ChatModel recording =
        new ChatModel() {
          @Override
          public ModelResponse chat(ModelRequest request) {
            requests.add(request);
            return scripted.chat(request);
          }

          @Override
          public String id() {
            return scripted.id();
          }
        };
    return Agent.builder()
        .name("shop")
        .model(recording)
        .tools(List.of(tool))
        .policy(policy)
        .journal(store)
        .clock(clock)
        .build();
  }

  /** EXTERNAL is above the default max-unapproved-effect WRITE: policy asks a human. */
  private static Policy asking() {
    return Policy.builder().rule(Rule.allow("*")).build();
  }

  private Approvals approvals(Agent agent) {
    return new Approvals(store, name -> Optional.of(agent), clock);
  }

  private List<RunEvent> journal() {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }

  private <T extends RunEvent> List<T> events(Class<T> type) {
    return journal().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private List<String> eventTypes() {
    return journal().stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  /** What the model read as the result of its call, in the request after it. */
  private String toolResultSeenByModel() {
    return requests.getLast().messages().stream()
        .filter(ChatMessage.ToolResult.class::isInstance)
        .map(ChatMessage.ToolResult.class::cast)
        .reduce((first, second) -> second)
        .orElseThrow()
        .content();
  }

  @Test
  void aRefusedPreconditionAsksNobodyRunsNothingAndTellsTheModel() {
    orders.put("O1", "delivered");
    Agent agent = agent(asking(), checkedCancelOrder());

    RunResult result = agent.run(runId, "cancel O1", "bob");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(executions).hasValue(0);
    assertThat(eventTypes())
        .doesNotContain("ApprovalRequested", "ToolCallStarted", "RunSuspended")
        .containsSubsequence("ToolCallProposed", "PolicyDecided", "ToolCallRejected");
    assertThat(events(RunEvent.PolicyDecided.class).getFirst().verdict()).isEqualTo(Verdict.ASK);
    RunEvent.ToolCallRejected rejected = events(RunEvent.ToolCallRejected.class).getFirst();
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.PRECONDITION_FAILED);
    assertThat(rejected.observation()).isEqualTo(NOT_PENDING);
    assertThat(toolResultSeenByModel()).isEqualTo(NOT_PENDING);
    assertThat(approvals(agent).pending()).isEmpty();
    assertThat(ObservedCall.of(journal()).getFirst().statuses())
        .containsExactly(ObservedCall.Status.PRECONDITION_FAILED);
  }

  @Test
  void aPassingPreconditionLetsPolicyAskAndTheApprovedCallRunsOnce() {
    Agent agent = agent(asking(), checkedCancelOrder());

    RunResult first = agent.run(runId, "cancel O1", "bob");

    assertThat(first.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(events(RunEvent.ApprovalRequested.class)).hasSize(1);
    assertThat(executions).hasValue(0);
    approvals(agent).decide(runId.value() + "/call_1_1", Decision.APPROVE, null, "", "alice");

    RunResult resumed = agent.resume(runId);

    assertThat(resumed.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(executions).hasValue(1);
    assertThat(orders).containsEntry("O1", "cancelled");
    // checked before asking and again before running the approved call
    assertThat(checks).hasValue(2);
    assertThat(events(RunEvent.ToolCallRejected.class)).isEmpty();
  }

  @Test
  void aPreconditionThatNoLongerHoldsAfterTheApprovalStopsTheCall() {
    Agent agent = agent(asking(), checkedCancelOrder());
    agent.run(runId, "cancel O1", "bob");
    approvals(agent).decide(runId.value() + "/call_1_1", Decision.APPROVE, null, "", "alice");
    orders.put("O1", "shipped"); // the order moved on while the call waited

    RunResult resumed = agent.resume(runId);

    assertThat(resumed.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(executions).hasValue(0);
    assertThat(orders).containsEntry("O1", "shipped");
    assertThat(eventTypes())
        .doesNotContain("ToolCallStarted")
        .containsSubsequence("ApprovalDecided", "RunResumed", "PolicyDecided", "ToolCallRejected");
    RunEvent.ToolCallRejected rejected = events(RunEvent.ToolCallRejected.class).getFirst();
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.PRECONDITION_FAILED);
    assertThat(toolResultSeenByModel()).isEqualTo(NOT_PENDING);
  }

  @Test
  void aPreconditionThatThrowsFailsTheCallWithoutAskingOrRunning() {
    Tool<Cancel> tool =
        cancelOrder()
            .precondition(
                (a, ctx) -> {
                  throw new IOException("order service unreachable");
                })
            .build();
    Agent agent = agent(asking(), tool);

    RunResult result = agent.run(runId, "cancel O1", "bob");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(executions).hasValue(0);
    assertThat(eventTypes()).doesNotContain("ApprovalRequested", "ToolCallStarted");
    RunEvent.ToolCallRejected rejected = events(RunEvent.ToolCallRejected.class).getFirst();
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.PRECONDITION_ERROR);
    assertThat(rejected.observation())
        .contains("cancel_order")
        .contains("IOException: order service unreachable")
        .contains("was not run");
    assertThat(toolResultSeenByModel()).isEqualTo(rejected.observation());
  }

  @Test
  void aPreconditionIsBoundedByTheToolsTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    Tool<Cancel> tool =
        cancelOrder()
            .timeout(Duration.ofMillis(100))
            .precondition(
                (a, ctx) -> {
                  never.await();
                  return Optional.empty();
                })
            .build();
    Agent agent = agent(asking(), tool);

    RunResult result = agent.run(runId, "cancel O1", "bob");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(executions).hasValue(0);
    RunEvent.ToolCallRejected rejected = events(RunEvent.ToolCallRejected.class).getFirst();
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.PRECONDITION_ERROR);
    assertThat(rejected.observation()).contains("did not answer within 100 ms");
  }

  @Test
  void anAllowedCallIsCheckedBeforeItRuns() {
    orders.put("O1", "delivered");
    // a WRITE is within the default max-unapproved-effect: policy allows it without a human
    Tool<Cancel> write =
        cancelOrder()
            .effect(Effect.WRITE)
            .precondition(
                (a, ctx) ->
                    "pending".equals(orders.get(a.orderId()))
                        ? Optional.empty()
                        : Optional.of(NOT_PENDING))
            .build();
    Agent agent = agent(asking(), write);

    agent.run(runId, "cancel O1", "bob");

    assertThat(events(RunEvent.PolicyDecided.class).getFirst().verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(executions).hasValue(0);
    assertThat(events(RunEvent.ToolCallRejected.class).getFirst().reason())
        .isEqualTo(RunEvent.Rejection.PRECONDITION_FAILED);
  }

  @Test
  void aDeniedCallIsNotChecked() {
    Agent agent = agent(Policy.builder().rule(Rule.deny("*")).build(), checkedCancelOrder());

    agent.run(runId, "cancel O1", "bob");

    assertThat(checks).hasValue(0);
    assertThat(events(RunEvent.ToolCallRejected.class).getFirst().reason())
        .isEqualTo(RunEvent.Rejection.POLICY_DENIED);
  }

  @Test
  void shadowModeChecksThePreconditionSoItRecordsOnlyCallsThatWouldRun() {
    Policy shadow = Policy.builder().rule(Rule.allow("*")).mode(Mode.SHADOW).build();
    Agent agent = agent(shadow, checkedCancelOrder());

    agent.run(runId, "cancel O1", "bob");

    assertThat(checks).hasValue(1);
    assertThat(executions).hasValue(0);
    assertThat(events(RunEvent.ToolCallShadowed.class)).hasSize(1);

    orders.put("O1", "delivered");
    RunId refusedRun = RunId.of("run-p2");
    agent.run(refusedRun, "cancel O1", "bob");

    List<String> types =
        store.read(refusedRun).stream().map(e -> e.event().getClass().getSimpleName()).toList();
    assertThat(types).doesNotContain("ToolCallShadowed", "ToolCallStarted");
    RunEvent.ToolCallRejected rejected =
        store.read(refusedRun).stream()
            .map(JournalEntry::event)
            .filter(RunEvent.ToolCallRejected.class::isInstance)
            .map(RunEvent.ToolCallRejected.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.PRECONDITION_FAILED);
    assertThat(executions).hasValue(0);
  }

  @Test
  void aReplayGivesTheRecordedRefusalWithoutCheckingTheRealSystem() {
    orders.put("O1", "delivered");
    Agent agent = agent(asking(), checkedCancelOrder());
    agent.run(runId, "cancel O1", "bob");
    orders.put("O1", "pending"); // the real system changed since: a live check would pass
    int checksBefore = checks.get();

    Replayer.Report replay = new Replayer(store, clock).replay(agent, runId);

    assertThat(replay.differences()).isEmpty();
    assertThat(checks).hasValue(checksBefore);
    assertThat(executions).hasValue(0);
  }
}
