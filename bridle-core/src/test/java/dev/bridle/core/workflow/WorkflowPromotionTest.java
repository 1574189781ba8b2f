package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.deploy.ReadinessSettings;
import org.junit.jupiter.api.Test;

/** The {@code promotion:} section: the readiness thresholds of a workflow. */
class WorkflowPromotionTest {

  private static final String HEAD =
      """
      name: triage
      version: "4"
      goal: Triage tickets.
      model: {provider: scripted, name: scripted}
      tools: [policy-test-tools]
      """;

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }

  @Test
  void withoutTheSectionTheDefaultsHold() {
    assertThat(parse(HEAD).promotion()).isEqualTo(ReadinessSettings.DEFAULT);
    assertThat(parse(HEAD + "promotion: {}\n").promotion()).isEqualTo(ReadinessSettings.DEFAULT);
  }

  @Test
  void everyThresholdCanBeSet() {
    ReadinessSettings settings =
        parse(
                HEAD
                    + "promotion: {agreement: 80%, min-comparisons: 20, suite-pass-rate: 97.5%,"
                    + " supervised-streak: 10, autonomous-streak: 30}\n")
            .promotion();
    assertThat(settings).isEqualTo(new ReadinessSettings(0.8, 20, 0.975, 10, 30));
  }

  @Test
  void aKeyNotGivenKeepsItsDefault() {
    assertThat(parse(HEAD + "promotion:\n  supervised-streak: 20\n").promotion())
        .isEqualTo(ReadinessSettings.DEFAULT.withStreaks(20, 300));
    assertThat(parse(HEAD + "promotion:\n  agreement: 100%\n").promotion())
        .isEqualTo(ReadinessSettings.DEFAULT.withAgreementRate(1.0));
  }

  @Test
  void aBadValueNamesItsLineAndKey() {
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  agreement: 90\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:7:3: agreement must be a percentage with a % sign such as 10% or 12.5%, but"
                + " was 90 in 'promotion'");
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  agreement: 0%\n"))
        .hasMessage(
            "wf.yaml:7:3: agreement must be above 0% and at most 100%, but was 0% in"
                + " 'promotion.agreement'");
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  suite-pass-rate: 120%\n"))
        .hasMessage(
            "wf.yaml:7:3: suite-pass-rate must be at most 100%, but was '120%' in 'promotion'");
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  min-comparisons: 0\n"))
        .hasMessage(
            "wf.yaml:7:3: min-comparisons must be at least 1, but was 0 in"
                + " 'promotion.min-comparisons'");
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  supervised-streak: many\n"))
        .hasMessage(
            "wf.yaml:7:3: supervised-streak must be a whole number of at least 1, but was \"many\""
                + " in 'promotion.supervised-streak'");
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  min-comparisons: 2.5\n"))
        .hasMessageStartingWith("wf.yaml:7:3: min-comparisons must be a whole number");
  }

  @Test
  void theAutonomousStreakCannotBeShorterThanTheSupervisedOne() {
    assertThatThrownBy(
            () -> parse(HEAD + "promotion:\n  supervised-streak: 50\n  autonomous-streak: 40\n"))
        .hasMessage(
            "wf.yaml:8:3: autonomous-streak must be at least supervised-streak (50), but was 40 in"
                + " 'promotion.autonomous-streak'");
    // only the supervised streak given, above the default autonomous one: its line is named
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  supervised-streak: 500\n"))
        .hasMessage(
            "wf.yaml:7:3: autonomous-streak must be at least supervised-streak (500), but was 300"
                + " in 'promotion.supervised-streak'");
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> parse(HEAD + "promotion:\n  agreement-rate: 90%\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:7:3: unknown key 'agreement-rate' in 'promotion'; known keys here: agreement,"
                + " autonomous-streak, min-comparisons, suite-pass-rate, supervised-streak");
  }
}
