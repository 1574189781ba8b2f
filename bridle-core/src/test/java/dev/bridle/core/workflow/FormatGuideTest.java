package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.guard.Guard;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The section examples in {@code docs/workflow-format.md} load and mean what the guide says. */
class FormatGuideTest {

  private static final String HEAD =
      """
      name: guide
      version: "1"
      goal: Show the guide's examples.
      tools: [policy-test-tools]
      """;

  @TempDir Path dir;

  @Test
  void theCascadeAndResilienceExampleLoads() throws Exception {
    WorkflowDefinition workflow = load(block("models:"));

    assertThat(workflow.models())
        .extracting(ModelSpec::id)
        .containsExactly("openai:gpt-4o-mini", "anthropic:claude-sonnet-4");
    assertThat(workflow.resilience().maxAttempts()).contains(3);
    assertThat(workflow.resilience().callDeadline()).contains(Duration.ofMinutes(2));
    assertThat(workflow.resilience().breaker().halfOpenCalls()).contains(3);
  }

  @Test
  void theGuardsExampleLoadsAndBuildsWithItsHook() throws Exception {
    WorkflowDefinition workflow =
        load("model: {provider: scripted, name: scripted}\n" + block("guards:"));

    assertThat(
            workflow
                .guards()
                .chain(GuardHooks.builder().idLookup("tickets", id -> true).build())
                .guards())
        .extracting(Guard::name)
        .containsExactly("size-limit", "competitors", "id-validity", "pii");
  }

  @Test
  void theBudgetsExampleLoadsWithItsPriceFile() throws Exception {
    Files.writeString(
        dir.resolve("prices.json"),
        """
        {"format": 1, "currency": "USD", "unit": "per-million-tokens", "prices": [
          {"model": "acme:small", "effective": "2026-01-01", "input": 0.2, "output": 0.8}]}
        """);

    BudgetSettings budgets =
        load("model: {provider: scripted, name: scripted}\n" + block("budgets:")).budgets();

    assertThat(budgets.budgets().perUserPerMonth())
        .contains(BudgetLimit.usd("20").withSoftThreshold(0.8));
    assertThat(budgets.priceFile()).contains(dir.resolve("prices.json"));
    assertThat(budgets.prices().models()).contains("acme:small", "openai:gpt-4o");
  }

  @Test
  void theRateLimitsExampleLoads() throws Exception {
    WorkflowDefinition workflow =
        load("model: {provider: scripted, name: scripted}\n" + block("rate-limits:"));

    assertThat(workflow.rateLimits())
        .containsExactly(
            RateLimit.of(RateLimit.Scope.TOOL, "send_*", 10, Duration.ofMinutes(1)),
            RateLimit.of(RateLimit.Scope.USER, "*", 200, Duration.ofHours(1))
                .waitingUpTo(Duration.ofSeconds(5)));
  }

  @Test
  void theRolloutExampleLoads() throws Exception {
    WorkflowDefinition workflow =
        load("model: {provider: scripted, name: scripted}\n" + block("rollout:"));

    assertThat(workflow.rollout().traffic()).contains(Percentage.parse("10%"));
  }

  @Test
  void thePromotionExampleLoadsAndSpellsOutTheDefaults() throws Exception {
    WorkflowDefinition workflow =
        load("model: {provider: scripted, name: scripted}\n" + block("promotion:"));

    assertThat(workflow.promotion())
        .isEqualTo(dev.bridle.core.deploy.ReadinessSettings.DEFAULT)
        .isEqualTo(new dev.bridle.core.deploy.ReadinessSettings(0.9, 50, 0.95, 100, 300));
  }

  private WorkflowDefinition load(String sections) throws Exception {
    Path file = dir.resolve("wf.yaml");
    Files.writeString(file, HEAD + sections);
    return Workflows.load(file);
  }

  /** The guide's YAML block that starts with {@code key}. */
  private static String block(String key) throws Exception {
    String guide = Files.readString(Path.of("../docs/workflow-format.md"));
    Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(guide);
    List<String> found = new ArrayList<>();
    while (blocks.find()) {
      if (blocks.group(1).startsWith(key)) {
        found.add(blocks.group(1));
      }
    }
    assertThat(found).as("YAML blocks starting with " + key).hasSize(1);
    return found.getFirst();
  }
}
