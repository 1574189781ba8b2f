package dev.bridle.observability;

import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.guard.Redactor;
import dev.bridle.core.journal.RunEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of runs, recorded from {@link Observation}s, and the control-plane gauges read from
 * {@link ControlPlaneState} on each scrape. Tags are low-cardinality only: workflow, model, tool,
 * guard, outcome and kinds; never run ids, users or values. A tag value is cut to 64 characters,
 * and one {@link Redactor} would change becomes {@code redacted}.
 */
final class RunMeters {

  private static final Logger LOG = LoggerFactory.getLogger(RunMeters.class);

  /** The bucket boundaries the GenAI conventions give for {@code gen_ai.client.token.usage}. */
  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** The bucket boundaries the conventions give for {@code gen_ai.client.operation.duration}. */
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(20),
    Duration.ofMillis(40),
    Duration.ofMillis(80),
    Duration.ofMillis(160),
    Duration.ofMillis(320),
    Duration.ofMillis(640),
    Duration.ofMillis(1280),
    Duration.ofMillis(2560),
    Duration.ofMillis(5120),
    Duration.ofMillis(10240),
    Duration.ofMillis(20480),
    Duration.ofMillis(40960),
    Duration.ofMillis(81920)
  };

  private static final int MAX_TAG_CHARS = 64;

  private final MeterRegistry registry;
  private final ControlPlaneState controlPlane;
  private final MultiGauge breakers;

  RunMeters(MeterRegistry registry, ControlPlaneState controlPlane) {
    this.registry = registry;
    this.controlPlane = controlPlane;
    Gauge.builder(
            "bridle.approvals.pending", controlPlane, guarded(ControlPlaneState::pendingApprovals))
        .description("Tool calls waiting for a human decision")
        .register(registry);
    for (KillSwitch.Scope scope : KillSwitch.Scope.values()) {
      Gauge.builder("bridle.kill_switches.active", controlPlane, guarded(s -> count(s, scope)))
          .description("Kill switches that are on, by scope")
          .tag("scope", lower(scope))
          .register(registry);
    }
    this.breakers =
        MultiGauge.builder("bridle.circuit_breaker.state")
            .description("1 for the state each provider's circuit breaker is in, 0 for the others")
            .register(registry);
  }

  /** Re-reads the breaker states; call before each scrape. */
  void refreshGauges() {
    Map<String, String> states;
    try {
      states = controlPlane.circuitBreakers();
    } catch (RuntimeException e) {
      LOG.warn("could not read the circuit breakers for metrics: {}", e.getMessage());
      return;
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Map.Entry<String, String> entry : states.entrySet()) {
      String current = entry.getValue() == null ? "" : entry.getValue().toUpperCase(Locale.ROOT);
      for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of("provider", tag(entry.getKey()), "state", state.toLowerCase(Locale.ROOT)),
                state.equals(current) ? 1 : 0));
      }
    }
    breakers.register(rows, true);
  }

  void record(Observation observation) {
    String workflow = tag(observation.run().workflow());
    switch (observation) {
      case Observation.RunQueued q ->
          counter("bridle.runs.submitted", "Runs put on the queue", "workflow", workflow)
              .increment();
      case Observation.RunBegan b ->
          counter(
                  b.resumed() ? "bridle.runs.resumed" : "bridle.runs.started",
                  b.resumed() ? "Runs picked up again" : "Runs started",
                  "workflow",
                  workflow)
              .increment();
      case Observation.RunOutcome o -> {
        counter(
                "bridle.runs",
                "Runs by outcome (suspended and killed runs count again when they end)",
                "workflow",
                workflow,
                "outcome",
                o.outcome(),
                "reason",
                o.reason())
            .increment();
        o.runDuration()
            .ifPresent(
                d ->
                    Timer.builder("bridle.run.duration")
                        .description("From start to end of a run, waits for humans included")
                        .tags("workflow", workflow, "outcome", o.outcome())
                        .register(registry)
                        .record(d.isNegative() ? Duration.ZERO : d));
      }
      case Observation.ModelCalled m -> model(workflow, m.event());
      case Observation.ToolExecuted t -> tool(workflow, t);
      case Observation.ApprovalAsked a ->
          counter(
                  "bridle.approvals.requested",
                  "Tool calls that asked a human",
                  "workflow",
                  workflow,
                  "tool",
                  tag(a.event().toolName()))
              .increment();
      case Observation.ApprovalAwaited a ->
          Timer.builder("bridle.approval.time_to_decision")
              .description("From asking a human to the decision")
              .tags(
                  "workflow",
                  workflow,
                  "tool",
                  tag(a.toolName()),
                  "kind",
                  a.kind(),
                  "decision",
                  lower(a.decided().decision()))
              .register(registry)
              .record(nonNegative(Duration.between(a.askedAt(), a.decided().at())));
      case Observation.PolicyChecked p ->
          counter(
                  "bridle.policy.decisions",
                  "Policy decisions by verdict; verdict=deny are the denials",
                  "workflow",
                  workflow,
                  "tool",
                  tag(p.event().toolName()),
                  "verdict",
                  lower(p.event().verdict()))
              .increment();
      case Observation.ToolRejected r ->
          counter(
                  "bridle.tool.rejections",
                  "Proposed calls not run, by reason",
                  "workflow",
                  workflow,
                  "reason",
                  lower(r.event().reason()))
              .increment();
      case Observation.GuardTripped g ->
          counter(
                  "bridle.guard.trips",
                  "Guards that flagged, redacted, re-asked, escalated or blocked",
                  "workflow",
                  workflow,
                  "guard",
                  tag(g.event().guard()),
                  "stage",
                  g.event().stage().configName(),
                  "kind",
                  lower(g.event().kind()))
              .increment();
      case Observation.BudgetCrossed b ->
          counter(
                  "bridle.budget.crossings",
                  "Budget thresholds crossed",
                  "workflow",
                  workflow,
                  "limit",
                  b.event().hard() ? "hard" : "soft")
              .increment();
      case Observation.ChangeReverted r ->
          counter(
                  "bridle.reverts",
                  "Changes undone by their inverse call",
                  "workflow",
                  workflow,
                  "status",
                  lower(r.event().status()))
              .increment();
      case Observation.SegmentEnded s -> {}
    }
  }

  private void model(String workflow, RunEvent.ModelResponded event) {
    GenAi.Model model = GenAi.Model.of(event.modelId());
    Tags tags =
        Tags.of(
            "gen_ai.operation.name", GenAi.CHAT,
            "gen_ai.provider.name", tag(model.provider()),
            "gen_ai.request.model", tag(model.name()),
            "gen_ai.response.model", tag(model.name()),
            "bridle.workflow", workflow);
    if (event.usage() != null) {
      tokens(tags.and("gen_ai.token.type", "input")).record(event.usage().inputTokens());
      tokens(tags.and("gen_ai.token.type", "output")).record(event.usage().outputTokens());
    }
    Timer.builder("gen_ai.client.operation.duration")
        .description("GenAI operation duration")
        .tags(tags)
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry)
        .record(Math.max(0, event.latencyMillis()), TimeUnit.MILLISECONDS);
    if (event.costUsd() != null) {
      Counter.builder("bridle.cost")
          .description("Money spent on model calls, by the price table")
          .baseUnit("usd")
          .tags("workflow", workflow, "model", tag(model.name()))
          .register(registry)
          .increment(event.costUsd().doubleValue());
    }
  }

  private DistributionSummary tokens(Tags tags) {
    return DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Number of input and output tokens used")
        .tags(tags)
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }

  private void tool(String workflow, Observation.ToolExecuted executed) {
    String toolName =
        executed
            .completed()
            .map(RunEvent.ToolCallCompleted::toolName)
            .or(() -> executed.inDoubt().map(RunEvent.ToolCallInDoubt::toolName))
            .orElse("unknown");
    String status = executed.completed().map(c -> lower(c.status())).orElse("in_doubt");
    Duration duration =
        executed
            .completed()
            .map(c -> Duration.ofMillis(Math.max(0, c.durationMillis())))
            .orElse(Duration.ZERO);
    Timer.builder("bridle.tool.duration")
        .description("Tool calls and how long they ran, by status")
        .tags("workflow", workflow, "tool", tag(toolName), "status", status)
        .register(registry)
        .record(duration);
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  private static double count(ControlPlaneState state, KillSwitch.Scope scope) {
    return state.activeKillSwitches().stream().filter(k -> k.scope() == scope).count();
  }

  /** A gauge function that reads NaN, and logs, when the state cannot be read. */
  private static ToDoubleFunction<ControlPlaneState> guarded(
      ToDoubleFunction<ControlPlaneState> read) {
    return state -> {
      try {
        return read.applyAsDouble(state);
      } catch (RuntimeException e) {
        LOG.warn("could not read the control plane for metrics: {}", e.getMessage());
        return Double.NaN;
      }
    };
  }

  /** A tag value: cut, and {@code redacted} if it holds anything {@link Redactor} would hide. */
  static String tag(String value) {
    if (value == null || value.isBlank()) {
      return "unknown";
    }
    String cut = value.length() > MAX_TAG_CHARS ? value.substring(0, MAX_TAG_CHARS) : value;
    return Redactor.redact(cut).equals(cut) ? cut : "redacted";
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  private static String lower(Enum<?> value) {
    return value == null ? "unknown" : value.name().toLowerCase(Locale.ROOT);
  }
}
