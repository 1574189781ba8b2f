package dev.bridle.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metrics from a real run, read back from the Prometheus text. */
class RunMetricsTest {

  private final CrmScenario scenario = new CrmScenario();
  private final RunId runId = RunId.of("run-metrics");
  private final AtomicReference<Map<String, String>> breakers =
      new AtomicReference<>(Map.of("openai", "CLOSED"));
  private ObservedRunStore store;
  private Agent agent;
  private final Observability observability = observability();

  private Observability observability() {
    Observability built =
        Observability.builder()
            .spanExporter(InMemorySpanExporter.create())
            .contentCapture(ContentCapture.OFF)
            .controlPlane(
                ControlPlaneState.builder()
                    .pendingApprovals(() -> scenario.approvals(store, agent).pending().size())
                    .killSwitch(scenario.kills)
                    .circuitBreakers(breakers::get)
                    .build())
            .build();
    store = built.observe(scenario.journal);
    agent = scenario.agent(store);
    return built;
  }

  @AfterEach
  void close() {
    observability.close();
  }

  @Test
  void aRunIsCountedByOutcomeWithTokensDurationsDecisionsAndCost() {
    agent.run(runId, "Update lead L1 before the rival does", "bob");
    Scrape suspended = new Scrape(observability.scrape());
    assertThat(suspended.require("bridle_approvals_pending", Map.of())).isEqualTo(1.0);
    assertThat(
            suspended.require(
                "bridle_runs_total",
                Map.of("workflow", "crm", "outcome", "suspended", "reason", "none")))
        .isEqualTo(1.0);

    scenario.clock.advance(Duration.ofSeconds(90));
    scenario
        .approvals(store, agent)
        .decide(CrmScenario.approvalId(runId), Decision.APPROVE, null, "", "alice");
    assertThat(agent.resume(runId).outcome()).isEqualTo(new RunOutcome.Completed("done"));

    Scrape scrape = new Scrape(observability.scrape());
    assertThat(scrape.require("bridle_approvals_pending", Map.of())).isZero();
    assertThat(
            scrape.require(
                "bridle_runs_total",
                Map.of("workflow", "crm", "outcome", "completed", "reason", "none")))
        .isEqualTo(1.0);
    assertThat(scrape.require("bridle_runs_started_total", Map.of("workflow", "crm")))
        .isEqualTo(1.0);
    assertThat(scrape.require("bridle_runs_resumed_total", Map.of("workflow", "crm")))
        .isEqualTo(1.0);

    Map<String, String> chat =
        Map.of(
            "gen_ai_operation_name", "chat",
            "gen_ai_provider_name", "openai",
            "gen_ai_request_model", "gpt-4o-mini",
            "bridle_workflow", "crm");
    assertThat(
            scrape.require(
                "gen_ai_client_token_usage_count", with(chat, "gen_ai_token_type", "input")))
        .isEqualTo(4.0);
    assertThat(
            scrape.require(
                "gen_ai_client_token_usage_sum", with(chat, "gen_ai_token_type", "input")))
        .isEqualTo(4000.0);
    assertThat(
            scrape.require(
                "gen_ai_client_token_usage_sum", with(chat, "gen_ai_token_type", "output")))
        .isEqualTo(800.0);
    assertThat(
            scrape.require(
                "gen_ai_client_token_usage_bucket",
                with(with(chat, "gen_ai_token_type", "input"), "le", "1024.0")))
        .as("the conventions' bucket boundaries")
        .isEqualTo(4.0);
    assertThat(scrape.require("gen_ai_client_operation_duration_seconds_count", chat))
        .isEqualTo(4.0);
    assertThat(scrape.require("gen_ai_client_operation_duration_seconds_sum", chat))
        .isCloseTo(1.0, offset(1e-9));

    assertThat(
            scrape.require(
                "bridle_policy_decisions_total",
                Map.of("workflow", "crm", "tool", "send_email", "verdict", "deny")))
        .isEqualTo(1.0);
    assertThat(
            scrape.require(
                "bridle_policy_decisions_total",
                Map.of("workflow", "crm", "tool", "set_bio", "verdict", "ask")))
        .as("asked when proposed, and checked again when the approved call runs")
        .isEqualTo(2.0);
    assertThat(
            scrape.require(
                "bridle_tool_rejections_total",
                Map.of("workflow", "crm", "reason", "policy_denied")))
        .isEqualTo(1.0);
    assertThat(
            scrape.require(
                "bridle_guard_trips_total",
                Map.of("workflow", "crm", "guard", "no-rivals", "stage", "input", "kind", "flag")))
        .isEqualTo(1.0);
    Map<String, String> decided =
        Map.of("workflow", "crm", "tool", "set_bio", "kind", "approval", "decision", "approve");
    assertThat(scrape.require("bridle_approval_time_to_decision_seconds_count", decided))
        .isEqualTo(1.0);
    assertThat(scrape.require("bridle_approval_time_to_decision_seconds_sum", decided))
        .isEqualTo(90.0);
    assertThat(
            scrape.require(
                "bridle_tool_duration_seconds_count",
                Map.of("workflow", "crm", "tool", "lookup_customer", "status", "succeeded")))
        .isEqualTo(1.0);
    assertThat(
            scrape.require(
                "bridle_cost_usd_total", Map.of("workflow", "crm", "model", "gpt-4o-mini")))
        .isCloseTo(0.0056, offset(1e-12));
    assertThat(scrape.toString())
        .as("no run ids or users in labels")
        .doesNotContain("run-metrics")
        .doesNotContain("bob")
        .doesNotContain("alice");
  }

  @Test
  void theKillSwitchAndCircuitBreakerGaugesReadTheControlPlaneOnEachScrape() {
    Scrape before = new Scrape(observability.scrape());
    assertThat(before.require("bridle_kill_switches_active", Map.of("scope", "global"))).isZero();
    assertThat(
            before.require(
                "bridle_circuit_breaker_state", Map.of("provider", "openai", "state", "closed")))
        .isEqualTo(1.0);

    scenario.kills.kill(KillSwitch.Scope.GLOBAL, "*", "ops", "incident 42");
    scenario.kills.kill(KillSwitch.Scope.WORKFLOW, "crm", "ops", "");
    breakers.set(Map.of("openai", "OPEN", "anthropic", "HALF_OPEN"));

    Scrape after = new Scrape(observability.scrape());
    assertThat(after.require("bridle_kill_switches_active", Map.of("scope", "global")))
        .isEqualTo(1.0);
    assertThat(after.require("bridle_kill_switches_active", Map.of("scope", "workflow")))
        .isEqualTo(1.0);
    assertThat(after.require("bridle_kill_switches_active", Map.of("scope", "agent"))).isZero();
    assertThat(
            after.require(
                "bridle_circuit_breaker_state", Map.of("provider", "openai", "state", "open")))
        .isEqualTo(1.0);
    assertThat(
            after.require(
                "bridle_circuit_breaker_state", Map.of("provider", "openai", "state", "closed")))
        .isZero();
    assertThat(
            after.require(
                "bridle_circuit_breaker_state",
                Map.of("provider", "anthropic", "state", "half_open")))
        .isEqualTo(1.0);

    agent.run(runId, "Update lead L1", "bob");
    Scrape killed = new Scrape(observability.scrape());
    assertThat(
            killed.require(
                "bridle_runs_total",
                Map.of("workflow", "crm", "outcome", "killed", "reason", "none")))
        .isEqualTo(1.0);
  }

  @Test
  void aTagValueThatHoldsASecretBecomesRedactedAndLongOnesAreCut() {
    assertThat(RunMeters.tag("crm")).isEqualTo("crm");
    assertThat(RunMeters.tag(CrmScenario.SECRET)).isEqualTo("redacted");
    assertThat(RunMeters.tag("x".repeat(100))).hasSize(64);
    assertThat(RunMeters.tag(" ")).isEqualTo("unknown");
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> more = new java.util.HashMap<>(labels);
    more.put(key, value);
    return more;
  }
}
