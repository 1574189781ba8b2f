package dev.bridle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerTest {

  record Noop(int n) {}

  private final InMemoryRunStore store = new InMemoryRunStore();
  private final InMemoryRunQueue queue = new InMemoryRunQueue(store);
  private final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();

  private Agent agent(RunStore journal) {
    Tool<Noop> noop =
        Tool.builder("noop", Noop.class)
            .description("Counts its calls per idempotency key")
            .handler(
                (args, ctx) -> {
                  effects
                      .computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger())
                      .incrementAndGet();
                  return "ok";
                })
            .build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("noop", Map.of("n", 1))
            .thenCall("noop", Map.of("n", 2))
            .thenAnswer("done")
            .build();
    return Agent.builder().name("counter").model(model).tool(noop).journal(journal).build();
  }

  private Agent agentWith(RunStore journal, Policy policy) {
    Agent plain = agent(journal);
    return Agent.builder()
        .name("counter")
        .model(plain.model())
        .tools(plain.tools().tools())
        .policy(policy)
        .journal(journal)
        .build();
  }

  @Test
  void workersRunEverySubmittedRunExactlyOnce() {
    for (int i = 0; i < 40; i++) {
      queue.submit(RunId.of("run-" + i), "counter", "count", "dana", Clock.systemUTC());
    }
    assertThat(store.list(RunQuery.ALL.withStatus(RunStatus.QUEUED))).hasSize(40);

    try (Worker a = worker("node-a").start();
        Worker b = worker("node-b").start()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  store.list(RunQuery.ALL.withStatus(RunStatus.COMPLETED).withLimit(100)).size()
                      == 40);
      assertThat(a.finishedRuns() + b.finishedRuns()).isEqualTo(40);
    }
    assertThat(effects).hasSize(80);
    assertThat(effects.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    RunEvent first = store.read(RunId.of("run-0")).get(0).event();
    assertThat(first).isInstanceOf(RunEvent.RunSubmitted.class);
    assertThat(store.find(RunId.of("run-0")).orElseThrow().user()).isEqualTo("dana");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderIsFencedOff() {
    queue.submit(RunId.of("run-x"), "counter", "count", "dana", Clock.systemUTC());
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    Lease first =
        queue.claim("node-a", Set.of("counter"), t0, Duration.ofSeconds(10)).orElseThrow();
    RunStore oldWriter = queue.fenced(first);
    oldWriter.append(first.runId(), 1, new RunEvent.RunResumed(t0, "node-a"));
    store.append(
        first.runId(),
        2,
        new RunEvent.RunStarted(t0, "counter", "1", "agent:counter@1", "dana", "", "count", "m"));

    assertThat(queue.claim("node-b", Set.of("counter"), t0.plusSeconds(5), Duration.ofSeconds(10)))
        .as("the lease has not expired yet")
        .isEmpty();
    Lease second =
        queue
            .claim("node-b", Set.of("counter"), t0.plusSeconds(11), Duration.ofSeconds(10))
            .orElseThrow();

    assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
    assertThatThrownBy(
            () -> oldWriter.append(first.runId(), 3, new RunEvent.RunResumed(t0, "node-a")))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("node node-a lost the lease on run run-x");
    assertThat(queue.renew(first, t0.plusSeconds(12), Duration.ofSeconds(10))).isEmpty();
    assertThat(queue.renew(second, t0.plusSeconds(12), Duration.ofSeconds(10))).isPresent();
    assertThat(
            queue.fenced(second).append(second.runId(), 3, new RunEvent.RunResumed(t0, "node-b")))
        .isEqualTo(4);
  }

  @Test
  void runsStartedOutsideTheQueueAreNeverClaimed() {
    agentOnStore().run(RunId.of("local-run"), "count");
    store.append(
        RunId.of("local-crashed"),
        0,
        new RunEvent.RunStarted(Instant.EPOCH, "counter", "1", "a", "u", "", "t", "m"));

    Optional<Lease> lease =
        queue.claim("node-a", Set.of("counter"), Instant.now(), Duration.ofSeconds(10));

    assertThat(lease).isEmpty();
  }

  private Agent agentOnStore() {
    return agent(store);
  }

  @Test
  void aDecisionMakesASuspendedRunClaimableAndAWorkerFinishesIt() {
    Policy askFirst =
        Policy.builder()
            .rule(Rule.ask("noop").withId("ask-noop"))
            .approvalTimeout(Duration.ofMillis(300), Verdict.ALLOW)
            .build();
    RunId approved = RunId.of("run-approved");
    RunId timedOut = RunId.of("run-timeout");
    Agent asking = agentWith(store, askFirst);
    asking.run(approved, "count", "dana");
    asking.run(timedOut, "count", "dana");
    assertThat(store.find(approved).orElseThrow().status()).isEqualTo(RunStatus.SUSPENDED);
    new Approvals(store, w -> Optional.of(asking), Clock.systemUTC())
        .decide("run-approved/call_1_1", RunEvent.Decision.APPROVE, null, "", "erin");

    try (Worker node =
        Worker.builder()
            .nodeId("node-a")
            .queue(queue)
            .workflow("counter", journal -> agentWith(journal, askFirst))
            .leaseTime(Duration.ofSeconds(3))
            .pollInterval(Duration.ofMillis(10))
            .approvalExpiryInterval(Duration.ofMillis(100))
            .build()
            .start()) {
      // the decided run goes on until its second call asks again; the other one's approval
      // times out (default: approve), so the worker decides it and runs it too
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  effects.containsKey("run-approved/call_1_1")
                      && effects.containsKey("run-timeout/call_1_1"));
    }
    assertThat(effects.get("run-approved/call_1_1")).hasValue(1);
    assertThat(
            store.read(timedOut).stream()
                .map(e -> e.event())
                .filter(RunEvent.ApprovalDecided.class::isInstance)
                .map(RunEvent.ApprovalDecided.class::cast)
                .findFirst()
                .orElseThrow()
                .approver())
        .isEqualTo("system:timeout");
  }

  @Test
  void aSubmittedRunThatWaitedForApprovalContinuesWhereItStoppedAndDoesNotStartOver() {
    Policy askFirst = Policy.builder().rule(Rule.ask("noop")).build();
    RunId runId = RunId.of("run-submitted-approval");
    queue.submit(runId, "counter", "count", "dana", Clock.systemUTC());
    try (Worker node =
        Worker.builder()
            .nodeId("node-s")
            .queue(queue)
            .workflow("counter", journal -> agentWith(journal, askFirst))
            .leaseTime(Duration.ofSeconds(3))
            .pollInterval(Duration.ofMillis(10))
            .build()
            .start()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.find(runId).orElseThrow().status() == RunStatus.SUSPENDED);
      new Approvals(store, w -> Optional.of(agentWith(store, askFirst)), Clock.systemUTC())
          .decide("run-submitted-approval/call_1_1", RunEvent.Decision.APPROVE, null, "", "erin");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> effects.containsKey("run-submitted-approval/call_1_1"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.find(runId).orElseThrow().status() == RunStatus.SUSPENDED);
    }
    long started =
        store.read(runId).stream().filter(e -> e.event() instanceof RunEvent.RunStarted).count();
    assertThat(started).as("the run started once and was not started over").isEqualTo(1);
    assertThat(effects.get("run-submitted-approval/call_1_1")).hasValue(1);
  }

  private Worker worker(String node) {
    return Worker.builder()
        .nodeId(node)
        .queue(queue)
        .workflow("counter", this::agent)
        .concurrency(4)
        .leaseTime(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .clock(Clock.system(ZoneOffset.UTC))
        .build();
  }
}
