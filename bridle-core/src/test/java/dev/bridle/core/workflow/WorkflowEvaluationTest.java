package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.evaluation.RunClassification.Outcome;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.ContinuousEvaluation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code evaluation:} section: continuous evaluation of a share of production runs. */
class WorkflowEvaluationTest {

  private static final String HEAD =
      """
      name: triage
      version: "4"
      goal: Triage tickets.
      model: {provider: scripted, name: scripted}
      tools: [policy-test-tools]
      effect-cap: external
      """;

  private static final String FULL =
      HEAD
          + """
          evaluation:
            sample: 10%
            refusal-markers: ["I can't"]
            checks:
              outcome: [completed, clarification]
              output:
                contains: [ticket]
                not-contains: "http://"
                regex: "^Ticket"
                json-schema: {type: string}
              max-steps: 8
              max-cost-usd: 0.05
          """;

  @TempDir Path dir;

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }

  @Test
  void everyKeyIsRead() {
    ContinuousEvaluation online = parse(FULL).evaluation().orElseThrow();

    assertThat(online.sample()).isEqualTo(Percentage.parse("10%"));
    assertThat(online.outcomes())
        .containsExactlyInAnyOrder(Outcome.COMPLETED, Outcome.CLARIFICATION);
    assertThat(online.output().orElseThrow().contains()).containsExactly("ticket");
    assertThat(online.output().orElseThrow().notContains()).containsExactly("http://");
    assertThat(online.output().orElseThrow().regex().orElseThrow().pattern()).isEqualTo("^Ticket");
    assertThat(online.output().orElseThrow().jsonSchema()).isPresent();
    assertThat(online.maxSteps()).contains(8);
    assertThat(online.maxCostUsd()).contains(new BigDecimal("0.05"));
    assertThat(online.refusalMarkers()).containsExactly("I can't");
  }

  @Test
  void theGuidesExampleLoads() throws Exception {
    String guide = java.nio.file.Files.readString(Path.of("../docs/evaluation.md"));
    java.util.regex.Matcher block =
        java.util.regex.Pattern.compile(
                "```yaml\n(evaluation:.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(guide);
    assertThat(block.find()).as("the guide's evaluation: example").isTrue();

    ContinuousEvaluation online = parse(HEAD + block.group(1)).evaluation().orElseThrow();

    assertThat(online.sample()).isEqualTo(Percentage.parse("10%"));
    assertThat(online.outcomes())
        .containsExactlyInAnyOrder(Outcome.COMPLETED, Outcome.CLARIFICATION);
    assertThat(online.maxCostUsd()).contains(new BigDecimal("0.05"));
  }

  @Test
  void withoutTheSectionNoRunIsScored() {
    assertThat(parse(HEAD).evaluation()).isEmpty();
  }

  @Test
  void aSingleOutcomeMayBeWrittenWithoutAList() {
    assertThat(
            parse(HEAD + "evaluation: {sample: 5%, checks: {outcome: completed}}\n")
                .evaluation()
                .orElseThrow()
                .outcomes())
        .containsExactly(Outcome.COMPLETED);
  }

  @Test
  void productionAgentsGetItAndAnEvaluationsOwnRunsDoNot() throws Exception {
    ClassLoader loader = WorkflowsTest.loader(dir);
    WorkflowDefinition workflow = parse(FULL);
    ScriptedChatModel model = ScriptedChatModel.of("triage", List.of(new ScriptTurn.Answer("ok")));

    assertThat(Workflows.agent(workflow, model, loader).build().continuousEvaluation())
        .contains(workflow.evaluation().orElseThrow());
    // any supply but production's, as an evaluation's isolated tools (these test tools have none)
    WorkflowServices isolated =
        WorkflowServices.none().withToolSupply(provider -> provider.tools());
    assertThat(Workflows.agent(workflow, model, loader, isolated).build().continuousEvaluation())
        .isEmpty();
  }

  @Test
  void mistakesNameTheirLineAndKey() {
    assertThatThrownBy(() -> parse(HEAD + "evaluation:\n  sample: 10\n  checks: {max-steps: 3}\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:8:3: sample must be a percentage with a % sign such as 10% or 12.5%, but was"
                + " 10 in 'evaluation'");
    assertThatThrownBy(
            () ->
                parse(
                    HEAD
                        + "evaluation:\n  sample: 10%\n  checks:\n    outcome: [completed, done]\n"))
        .hasMessage(
            "wf.yaml:10:26: unknown outcome 'done'; outcomes are needs-approval, refused,"
                + " clarification, safe-stop, failed, completed in"
                + " 'evaluation.checks.outcome[1]'");
    assertThatThrownBy(
            () ->
                parse(
                    HEAD
                        + "evaluation:\n  sample: 10%\n  checks:\n    output:\n"
                        + "      regex: \"([a-z\"\n"))
        .hasMessageStartingWith("wf.yaml:11:7: regex is not a valid pattern:")
        .hasMessageEndingWith("in 'evaluation.checks.output.regex'");
    assertThatThrownBy(
            () -> parse(HEAD + "evaluation:\n  sample: 10%\n  checks:\n    output: {}\n"))
        .hasMessage(
            "wf.yaml:10:5: output checks nothing; give contains, not-contains, regex or json-schema"
                + " in 'evaluation.checks.output'");
    assertThatThrownBy(() -> parse(HEAD + "evaluation:\n  sample: 10%\n  checks: {}\n"))
        .hasMessage(
            "wf.yaml:9:3: continuous evaluation checks nothing; give at least one of outcome,"
                + " output, max-steps or max-cost-usd in 'evaluation.checks'");
    assertThatThrownBy(
            () -> parse(HEAD + "evaluation:\n  sample: 10%\n  checks:\n    max-steps: 0\n"))
        .hasMessage(
            "wf.yaml:10:5: max-steps must be at least 1, but was 0 in 'evaluation.checks.max-steps'");
    assertThatThrownBy(
            () -> parse(HEAD + "evaluation:\n  sample: 10%\n  checks:\n    max-stepz: 3\n"))
        .hasMessageStartingWith(
            "wf.yaml:10:5: unknown key 'max-stepz' in 'evaluation.checks'; known keys here:");
    assertThatThrownBy(() -> parse(HEAD + "evaluation:\n  checks: {max-steps: 3}\n"))
        .hasMessage("wf.yaml:7:1: missing required key 'sample' in 'evaluation'");
  }
}
