package dev.bridle.benchmarks.taubench;

import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Runs one task through a real Bridle {@link Agent}: the retail tools over the run's own copy of
 * the store, the {@link RetailPolicy}, the task's {@link TaskScript} as the model, an in-memory
 * journal. Every approval the run waits for is answered through the real {@link Approvals} inbox as
 * the {@link SimulatedHuman} would, and the run is resumed until it ends; then it is scored ({@link
 * TaskResult}).
 */
final class TaskRunner {

  /** A run that still waits after this many approval rounds is a benchmark bug. */
  static final int MAX_APPROVAL_ROUNDS = 100;

  static final String WORKFLOW = "taubench-retail";
  static final String CUSTOMER = "taubench-customer";

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final RetailData data;
  private final List<Tool<?>> tools;
  private final Policy policy;
  private final Set<String> writeTools;
  private final Map<RunId, RetailOperations> stores = new ConcurrentHashMap<>();
  private final AtomicLong runs = new AtomicLong();

  TaskRunner(RetailData data) {
    this.data = data;
    this.tools = RetailTools.of(data.tools(), this::storeOf);
    this.policy = RetailPolicy.of(tools);
    this.writeTools =
        tools.stream()
            .filter(t -> t.effect() == Effect.WRITE)
            .map(Tool::name)
            .collect(Collectors.toUnmodifiableSet());
  }

  List<Tool<?>> tools() {
    return tools;
  }

  Policy policy() {
    return policy;
  }

  /** Runs {@code task} with {@code human} answering the approvals, and scores it. */
  TaskResult run(RetailTask task, SimulatedHuman human) {
    TaskScript script = TaskScript.of(task);
    RetailDatabase store = new RetailDatabase(data.tables());
    InMemoryRunStore journal = new InMemoryRunStore();
    Agent agent =
        Agent.builder()
            .name(WORKFLOW)
            .version("1")
            .instructions(data.wiki())
            .model(script.model())
            .tools(tools)
            .policy(policy)
            .journal(journal)
            .clock(CLOCK)
            .limits(
                Limits.DEFAULT.withMaxSteps(Math.max(Limits.DEFAULT.maxSteps(), script.turns())))
            // the simulated customer reads the inbox itself; a thousand runs would log thousands
            .notifier(notification -> {})
            .build();
    Approvals approvals = new Approvals(journal, workflow -> Optional.of(agent), CLOCK);
    RunId runId =
        RunId.of(
            "taubench-"
                + task.split()
                + "-"
                + task.index()
                + "-"
                + human.label()
                + "-"
                + runs.incrementAndGet());
    stores.put(runId, new RetailOperations(store));
    RunResult result;
    try {
      result = runToTheEnd(agent, approvals, runId, human);
    } finally {
      stores.remove(runId);
    }
    return TaskResult.of(
        script, human, writeTools, result.outcome(), journal.read(runId), store.changes());
  }

  private static RunResult runToTheEnd(
      Agent agent, Approvals approvals, RunId runId, SimulatedHuman human) {
    RunResult result = agent.run(runId, "Help the customer with their orders.", CUSTOMER);
    for (int round = 0; result.outcome() instanceof RunOutcome.Suspended; round++) {
      if (round >= MAX_APPROVAL_ROUNDS) {
        throw new IllegalStateException(
            "run " + runId + " still waits after " + MAX_APPROVAL_ROUNDS + " approval rounds");
      }
      List<ApprovalItem> pending = approvals.pendingFor(runId);
      if (pending.isEmpty()) {
        throw new IllegalStateException(
            "run "
                + runId
                + " is suspended with nothing to approve: "
                + result.outcome().message());
      }
      for (ApprovalItem item : pending) {
        approvals.decide(item.id(), human.decision(), null, human.message(), SimulatedHuman.NAME);
      }
      result = agent.resume(runId);
    }
    return result;
  }

  private RetailOperations storeOf(ToolContext context) {
    RetailOperations store = stores.get(context.runId());
    if (store == null) {
      throw new IllegalStateException("no retail store for run " + context.runId());
    }
    return store;
  }
}
