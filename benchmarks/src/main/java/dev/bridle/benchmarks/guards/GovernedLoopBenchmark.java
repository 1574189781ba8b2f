package dev.bridle.benchmarks.guards;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent loop's cost per step with nothing switched on, with every guard, and with every guard
 * and limit ({@link FullGovernance}). A run is a scripted model (no network) that calls {@code
 * lookup_ticket} {@value #TOOL_STEPS} times and then answers with JSON, with the in-memory journal;
 * the tool returns ~{@value #RESULT_CHARS} characters of untrusted ticket text. One step is one
 * model call plus its tool call; the score is the run's time divided by {@value #TOOL_STEPS} + 1.
 *
 * <ul>
 *   <li>{@code none}: no guards, the default policy, no rate limits, prices only (no budgets);
 *   <li>{@code guards}: the nine-guard chain of {@link FullGovernance#guards()} (all eight types)
 *       on every stage it covers: the task, each call's arguments, each result, the final answer;
 *   <li>{@code everything}: the guards plus a policy with a rule, a bounds constraint and
 *       provenance over every earlier result, three rate limits (local token buckets), and budgets
 *       per run, user and workflow, checked with a pre-call estimate before each model call and
 *       charged after it.
 * </ul>
 *
 * The setup runs once and checks that the run completes and that nothing trips, so every
 * configuration does the same eleven steps.
 *
 * <p>Run: {@code benchmarks/guards.sh} or {@code java -jar benchmarks/target/benchmarks.jar
 * GovernedLoop}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GovernedLoopBenchmark {

  static final int TOOL_STEPS = 10;
  static final int RESULT_CHARS = 600;

  static final String TASK =
      "Customer Ada Brennhold asks about ticket TCK-1001: her invoice was charged twice after the"
          + " plan upgrade, and she wants to know when the refund arrives. Look up the ticket and"
          + " summarise what support should do next.";

  static final String ANSWER =
      "{\"status\":\"done\",\"summary\":\"The duplicate charge on TCK-1001 came from a payment"
          + " retry during the outage; billing should refund one of the two charges and support"
          + " should tell the customer it is under review.\"}";

  /** What is switched on: {@code none}, {@code guards} or {@code everything}. */
  @Param({"none", "guards", "everything"})
  public String governance;

  /** Arguments of {@code lookup_ticket}. */
  public record LookupTicket(
      @com.fasterxml.jackson.annotation.JsonProperty("ticket_id") String ticketId, int n) {}

  private Tool<LookupTicket> tool;
  private ChatModel model;
  private Agent agent;

  @Setup(Level.Trial)
  public void prepare() {
    String ticket = ticketText();
    tool =
        Tool.builder("lookup_ticket", LookupTicket.class)
            .description("Read one support ticket and its history")
            .effect(Effect.READ)
            .idempotent(true)
            .untrustedResults(true)
            .sensitive("ticket_id")
            .resource("ticket_id")
            .handler((args, context) -> ticket)
            .build();
    ScriptedChatModel.Builder script = ScriptedChatModel.builder().name("bench");
    for (int i = 0; i < TOOL_STEPS; i++) {
      script.thenCall("lookup_ticket", Map.of("ticket_id", "TCK-1001", "n", i));
    }
    model = new WithUsage(script.thenAnswer(ANSWER).build(), new Usage(1_200, 80, 0));
    checkOneRun();
  }

  /** A fresh journal (and spend store and buckets) per iteration, so memory does not grow. */
  @Setup(Level.Iteration)
  public void freshAgent() {
    agent = agent(new InMemoryRunStore());
  }

  /** Score: microseconds per step (one run of 11 model calls and 10 tool calls, divided by 11). */
  @Benchmark
  @OperationsPerInvocation(TOOL_STEPS + 1)
  public RunResult step() {
    RunResult result = agent.run(TASK);
    if (!result.completed()) {
      throw new IllegalStateException("benchmark run did not complete: " + result.outcome());
    }
    return result;
  }

  private Agent agent(InMemoryRunStore journal) {
    Clock clock = Clock.systemUTC();
    Agent.Builder builder =
        Agent.builder()
            .name("bench")
            .model(model)
            .tool(tool)
            .limits(Limits.DEFAULT.withMaxSteps(TOOL_STEPS + 1))
            .clock(clock)
            .journal(journal);
    switch (governance) {
      case "none" -> {}
      case "guards" -> builder.guards(FullGovernance.guards());
      case "everything" ->
          builder
              .guards(FullGovernance.guards())
              .policy(FullGovernance.policy())
              .rateLimits(FullGovernance.rateLimits(clock))
              .metering(FullGovernance.metering(clock));
      default -> throw new IllegalArgumentException("unknown governance '" + governance + "'");
    }
    return builder.build();
  }

  /** One run before measuring: it completes, nothing trips, every call is allowed. */
  private void checkOneRun() {
    InMemoryRunStore journal = new InMemoryRunStore();
    RunResult result = agent(journal).run(TASK);
    List<RunEvent> events = journal.read(result.runId()).stream().map(JournalEntry::event).toList();
    long completedCalls =
        events.stream().filter(RunEvent.ToolCallCompleted.class::isInstance).count();
    List<RunEvent> trouble =
        events.stream()
            .filter(
                e ->
                    e instanceof RunEvent.GuardTripped
                        || e instanceof RunEvent.ToolCallRejected
                        || e instanceof RunEvent.BudgetThresholdCrossed
                        || (e instanceof RunEvent.PolicyDecided d && d.verdict() != Verdict.ALLOW))
            .toList();
    if (!result.completed() || completedCalls != TOOL_STEPS || !trouble.isEmpty()) {
      throw new IllegalStateException(
          governance
              + ": the benchmark run must complete "
              + TOOL_STEPS
              + " calls with nothing tripped, but: "
              + result.outcome()
              + ", "
              + completedCalls
              + " calls, "
              + trouble);
    }
    if (governance.equals("everything")
        && events.stream()
            .filter(RunEvent.ModelResponded.class::isInstance)
            .anyMatch(e -> ((RunEvent.ModelResponded) e).costUsd() == null)) {
      throw new IllegalStateException("everything: model calls must be priced");
    }
    System.out.println(
        "\n["
            + governance
            + "] one run: "
            + events.size()
            + " events, outcome "
            + result.outcome());
  }

  /**
   * About {@value #RESULT_CHARS} characters of a ticket as a customer wrote it: no PII, no tricks.
   */
  private static String ticketText() {
    StringBuilder text =
        new StringBuilder(
            "Ticket TCK-1001, billing, high. The customer writes: Hello, after we upgraded our plan"
                + " last week the invoice shows the monthly charge twice on the same day. Our"
                + " accountant needs the corrected invoice before the books close, so please tell"
                + " us what happened and when the second charge comes back. ");
    text.append(
        "History: an agent confirmed the duplicate in the payment history; the payment provider"
            + " retried the request during the outage that day. Engineering deployed a fix to the"
            + " billing service. Nobody has promised a date or an amount yet.");
    while (text.length() < RESULT_CHARS) {
      text.append(" Waiting for the billing team.");
    }
    return text.toString();
  }

  /** The scripted model with token counts, so that prices and budgets have something to count. */
  private record WithUsage(ChatModel inner, Usage usage) implements ChatModel {
    @Override
    public ModelResponse chat(ModelRequest request) {
      ModelResponse response = inner.chat(request);
      return new ModelResponse(response.message(), usage, response.modelId());
    }

    @Override
    public String id() {
      return inner.id();
    }
  }
}
