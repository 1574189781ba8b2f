package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rate-limits:} list. */
class WorkflowRateLimitsTest {

  static final String LIMITED =
      """
      name: limited
      version: "1"
      goal: Answer questions about tickets.
      model: {provider: scripted, name: scripted}
      tools: [policy-test-tools]
      effect-cap: external
      rate-limits:
        - {scope: tool, tools: "get_*", per: 1h, max: 1}
        - scope: user
          tools: "send_*"
          per: 1m
          max: 10
          on-limit: wait
          max-wait: 5s
        - {scope: global, per: 1d, max: 1000, on-limit: refuse}
      """;

  @TempDir Path dir;

  @Test
  void everyEntryIsRead() {
    assertThat(parse(LIMITED).rateLimits())
        .containsExactly(
            RateLimit.of(RateLimit.Scope.TOOL, "get_*", 1, Duration.ofHours(1)),
            RateLimit.of(RateLimit.Scope.USER, "send_*", 10, Duration.ofMinutes(1))
                .waitingUpTo(Duration.ofSeconds(5)),
            RateLimit.of(RateLimit.Scope.GLOBAL, "*", 1000, Duration.ofDays(1)));
  }

  @Test
  void withoutAListThereAreNone() {
    assertThat(parse(LIMITED.substring(0, LIMITED.indexOf("rate-limits:"))).rateLimits()).isEmpty();
  }

  @Test
  void mistakesAreNamedWithTheirLine() {
    assertThatThrownBy(() -> parse(LIMITED.replace("per: 1h, max: 1}", "per: 1h}")))
        .isInstanceOf(WorkflowException.class)
        .hasMessage("wf.yaml:8:5: missing required key 'max' in 'rate-limits[0]'");
    assertThatThrownBy(() -> parse(LIMITED.replace("max: 1}", "max: 0}")))
        .hasMessage("wf.yaml:8:5: max must be at least 1, but was 0 in 'rate-limits[0]'");
    assertThatThrownBy(() -> parse(LIMITED.replace("scope: tool", "scope: tenant")))
        .hasMessage(
            "wf.yaml:8:6: wrong value for 'rate-limits[0].scope': 'tenant' is not one of GLOBAL,"
                + " WORKFLOW, USER, TOOL");
    assertThatThrownBy(() -> parse(LIMITED.replace("per: 1h", "per: hourly")))
        .hasMessageStartingWith("wf.yaml:8:35: wrong value for 'rate-limits[0].per': 'hourly'");
    assertThatThrownBy(() -> parse(LIMITED.replace("    max-wait: 5s\n", "")))
        .hasMessage(
            "wf.yaml:9:5: on-limit: wait needs max-wait, the longest a call may wait for its turn"
                + " (e.g. 5s) in 'rate-limits[1]'");
    assertThatThrownBy(
            () -> parse(LIMITED.replace("on-limit: refuse", "on-limit: refuse, max-wait: 1s")))
        .hasMessageStartingWith("wf.yaml:15:5: max-wait belongs to on-limit: wait;");
    assertThatThrownBy(
            () -> parse(LIMITED.replace("per: 1d, max: 1000", "per: 1d, max: 1000, burst: 5")))
        .hasMessageStartingWith("wf.yaml:15:41: unknown key 'burst' in 'rate-limits[2]'");
  }

  @Test
  void aToolGlobThatMatchesNoToolIsNamedWhenTheToolsAreKnown() throws Exception {
    WorkflowDefinition workflow = parse(LIMITED.replace("\"send_*\"", "\"sned_*\""));

    assertThatThrownBy(() -> Workflows.tools(workflow, WorkflowsTest.loader(dir)))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:10:5: 'sned_*' matches none of the workflow's tools (get_ticket, pay,"
                + " send_email, update_lead); is the name misspelled? in 'rate-limits[1].tools'");
  }

  @Test
  void theAgentNeedsALimiterAndRefusesACallOverTheLimit() throws Exception {
    WorkflowDefinition workflow = parse(LIMITED);
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("get_ticket", Map.of("ticket_id", "TCK-1"))
            .thenCall("get_ticket", Map.of("ticket_id", "TCK-2"))
            .thenAnswer("Read one ticket; the second read was over the limit.")
            .build();
    ClassLoader loader = WorkflowsTest.loader(dir);

    assertThatThrownBy(() -> Workflows.agent(workflow, model, loader))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "workflow 'limited' sets 3 rate limits, but no rate limiter was given");

    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    Agent agent =
        Workflows.agent(
                workflow,
                model,
                loader,
                WorkflowServices.none()
                    .withRateLimiter(new LocalRateLimiter(clock))
                    .withClock(clock))
            .build();
    RunResult result = agent.run("Compare TCK-1 and TCK-2");

    assertThat(agent.rateLimits().limits()).isEqualTo(workflow.rateLimits());
    assertThat(agent.clock()).isSameAs(clock);
    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(
            agent.journal().read(result.runId()).stream()
                .map(JournalEntry::event)
                .filter(RunEvent.ToolCallRejected.class::isInstance)
                .map(RunEvent.ToolCallRejected.class::cast))
        .singleElement()
        .satisfies(
            rejected ->
                assertThat(rejected.observation())
                    .startsWith("Rate limit reached (1 calls of get_* per PT1H for this tool)"));
  }

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }
}
