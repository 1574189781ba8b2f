package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code rollout:} section. */
class WorkflowRolloutTest {

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
  void aVersionSaysItsShareOfNewRuns() {
    assertThat(parse(HEAD + "rollout: {traffic: 10%}\n").rollout().traffic())
        .contains(Percentage.parse("10%"));
    assertThat(parse(HEAD + "rollout:\n  traffic: 12.5%\n").rollout().traffic())
        .contains(new Percentage(1_250));
  }

  @Test
  void withoutTheSectionTheVersionIsServedAlone() {
    assertThat(parse(HEAD).rollout()).isEqualTo(RolloutSettings.NONE);
  }

  @Test
  void aBadShareNamesItsLineAndKey() {
    assertThatThrownBy(() -> parse(HEAD + "rollout:\n  traffic: 10\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:7:3: traffic must be a percentage with a % sign such as 10% or 12.5%, but"
                + " was 10 in 'rollout'");
    assertThatThrownBy(() -> parse(HEAD + "rollout:\n  traffic: lots\n"))
        .hasMessage(
            "wf.yaml:7:3: traffic must be a percentage such as 10% or 12.5% (at most two"
                + " decimals), but was 'lots' in 'rollout'");
    assertThatThrownBy(() -> parse(HEAD + "rollout: {traffic: 150%}\n"))
        .hasMessage("wf.yaml:6:11: traffic must be at most 100%, but was '150%' in 'rollout'");
    assertThatThrownBy(() -> parse(HEAD + "rollout: {}\n"))
        .hasMessage("wf.yaml:6:1: missing required key 'traffic' in 'rollout'");
    assertThatThrownBy(() -> parse(HEAD + "rollout:\n  traffic: 10%\n  sticky: user\n"))
        .hasMessageStartingWith("wf.yaml:8:3: unknown key 'sticky' in 'rollout'; known keys here:");
  }
}
