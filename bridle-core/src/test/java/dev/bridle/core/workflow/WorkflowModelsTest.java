package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.model.ModelSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code model:} or a cascade under {@code models:}, and the {@code resilience:} section. */
class WorkflowModelsTest {

  static final String HEAD =
      """
      name: cascading
      version: "1"
      goal: Answer questions about tickets.
      tools: [policy-test-tools]
      """;

  static final String CASCADE =
      HEAD
          + """
          models:
            - {provider: openai, name: gpt-4o-mini, max-output-tokens: 400}
            - provider: anthropic
              name: claude-sonnet-4
              timeout: 90s
          resilience:
            max-attempts: 4
            initial-backoff: 200ms
            multiplier: 3
            jitter: 0.2
            max-backoff: 10s
            attempt-timeout: 45s
            call-deadline: 2m
            breaker:
              failure-rate-percent: 40
              sliding-window-calls: 30
              minimum-calls: 5
              open-for: 1m
              half-open-calls: 2
          """;

  @Test
  void aCascadeListsItsModelsCheapestFirst() {
    WorkflowDefinition workflow = parse(CASCADE);

    assertThat(workflow.models())
        .extracting(ModelSpec::id)
        .containsExactly("openai:gpt-4o-mini", "anthropic:claude-sonnet-4");
    assertThat(workflow.isCascade()).isTrue();
    assertThat(workflow.model().id()).isEqualTo("openai:gpt-4o-mini");
    assertThat(workflow.models().get(1).timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(workflow.budgets().maxOutputTokens()).isEqualTo(400);
  }

  @Test
  void oneModelIsACascadeOfOne() {
    WorkflowDefinition workflow = parse(HEAD + "model: {provider: openai, name: gpt-4o-mini}\n");

    assertThat(workflow.models()).containsExactly(ModelSpec.of("openai", "gpt-4o-mini"));
    assertThat(workflow.isCascade()).isFalse();
    assertThat(workflow.resilience()).isEqualTo(ResilienceSettings.DEFAULT);
  }

  @Test
  void everyResilienceKeyIsRead() {
    ResilienceSettings resilience = parse(CASCADE).resilience();

    assertThat(resilience)
        .isEqualTo(
            new ResilienceSettings(
                Optional.of(4),
                Optional.of(Duration.ofMillis(200)),
                Optional.of(3.0),
                Optional.of(0.2),
                Optional.of(Duration.ofSeconds(10)),
                Optional.of(Duration.ofSeconds(45)),
                Optional.of(Duration.ofMinutes(2)),
                new ResilienceSettings.Breaker(
                    Optional.of(40),
                    Optional.of(30),
                    Optional.of(5),
                    Optional.of(Duration.ofMinutes(1)),
                    Optional.of(2))));
  }

  @Test
  void modelAndModelsAreMutuallyExclusiveAndOneIsRequired() {
    assertThatThrownBy(() -> parse(CASCADE + "model: {provider: openai, name: gpt-4o}\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:5:1: give either 'model' (one model) or 'models' (a cascade, cheapest"
                + " first), not both in 'models'");
    assertThatThrownBy(() -> parse(HEAD))
        .hasMessage(
            "wf.yaml:1:1: missing required key 'model' (or 'models' for a cascade) at the top"
                + " level");
    assertThatThrownBy(() -> parse(HEAD + "models: []\n"))
        .hasMessage(
            "wf.yaml:5:1: models must list at least one model, cheapest first and strongest last"
                + " in 'models'");
  }

  @Test
  void aCascadeEntryIsCheckedLikeAModel() {
    assertThatThrownBy(() -> parse(CASCADE.replace("provider: anthropic", "provider: antropic")))
        .hasMessageStartingWith("wf.yaml:7:5: model provider 'antropic' is not known;")
        .hasMessageEndingWith(" in 'models[1]'");
    assertThatThrownBy(() -> parse(CASCADE.replace("    name: claude-sonnet-4\n", "")))
        .hasMessage("wf.yaml:7:5: missing required key 'name' in 'models[1]'");
    assertThatThrownBy(
            () ->
                parse(
                    CASCADE.replace(
                        "provider: anthropic\n    name: claude-sonnet-4",
                        "provider: openai\n    name: gpt-4o-mini")))
        .hasMessage(
            "wf.yaml:7:5: model 'openai:gpt-4o-mini' is listed twice; a cascade tries each model"
                + " once in 'models[1]'");
    assertThatThrownBy(
            () ->
                parse(
                    CASCADE.replace(
                        "{provider: openai, name: gpt-4o-mini, max-output-tokens: 400}",
                        "{provider: scripted, name: scripted}")))
        .hasMessageStartingWith(
            "wf.yaml:6:6: the scripted model plays the workflow's script and cannot be part of a"
                + " cascade;")
        .hasMessageEndingWith(" in 'models[0].provider'");
  }

  @Test
  void resilienceValuesOutOfRangeAreNamedWithTheirLine() {
    assertThatThrownBy(() -> parse(CASCADE.replace("max-attempts: 4", "max-attempts: 11")))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:10:1: max-attempts must be between 1 and 10, but was 11 in 'resilience'");
    assertThatThrownBy(() -> parse(CASCADE.replace("jitter: 0.2", "jitter: 1")))
        .hasMessage(
            "wf.yaml:10:1: jitter must be at least 0 and below 1, but was 1.0 in 'resilience'");
    assertThatThrownBy(() -> parse(CASCADE.replace("max-backoff: 10s", "max-backoff: 100ms")))
        .hasMessage(
            "wf.yaml:10:1: max-backoff must be at least initial-backoff (PT0.2S), but was PT0.1S"
                + " in 'resilience'");
    assertThatThrownBy(() -> parse(CASCADE.replace("minimum-calls: 5", "minimum-calls: 31")))
        .hasMessage(
            "wf.yaml:18:3: minimum-calls must be between 1 and 30, but was 31 in"
                + " 'resilience.breaker'");
    assertThatThrownBy(() -> parse(CASCADE.replace("open-for: 1m", "open-for: 0s")))
        .hasMessage(
            "wf.yaml:18:3: open-for must be at least 1ms, but was PT0S in 'resilience.breaker'");
    assertThatThrownBy(() -> parse(CASCADE.replace("call-deadline:", "deadline:")))
        .hasMessageStartingWith(
            "wf.yaml:17:3: unknown key 'deadline' in 'resilience'; known keys here:");
  }

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }
}
