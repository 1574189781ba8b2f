package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.run.Limits;
import dev.bridle.core.tool.Effect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowsTest {

  static final String VALID =
      """
      name: support-triage
      version: "3"
      goal: Classify a ticket and draft a reply.
      model:
        provider: openai
        name: gpt-4o-mini
        base-url: http://localhost:8080/v1
        api-key-env: MY_KEY
        timeout: 45s
        temperature: 0.2
      instructions: |
        Be precise.
      tools:
        - support-triage
        - provider: crm
          include: [find_lead]
      effect-cap: propose
      limits:
        max-steps: 8
        deadline: 2m
        loop-threshold: 4
      script:
        - call: classify
          args: {category: billing}
        - calls:
            - tool: draft_reply
              args: {body: "{{task}}"}
            - tool: note
        - say: All done.
      """;

  @Test
  void parsesEveryKey() {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", VALID);

    assertThat(workflow.name()).isEqualTo("support-triage");
    assertThat(workflow.version()).isEqualTo("3");
    assertThat(workflow.goal()).isEqualTo("Classify a ticket and draft a reply.");
    assertThat(workflow.model().id()).isEqualTo("openai:gpt-4o-mini");
    assertThat(workflow.model().baseUrl()).contains("http://localhost:8080/v1");
    assertThat(workflow.model().apiKeyEnv()).contains("MY_KEY");
    assertThat(workflow.model().timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(workflow.model().temperature()).contains(0.2);
    assertThat(workflow.instructions()).isEqualTo("Be precise.");
    assertThat(workflow.tools())
        .containsExactly(
            new WorkflowDefinition.ToolSource("support-triage", java.util.List.of()),
            new WorkflowDefinition.ToolSource("crm", java.util.List.of("find_lead")));
    assertThat(workflow.effectCap()).isEqualTo(Effect.PROPOSE);
    assertThat(workflow.limits()).isEqualTo(new Limits(8, Duration.ofMinutes(2), 4));
    assertThat(workflow.script()).hasSize(3);
    assertThat(workflow.script().get(1)).isInstanceOf(ScriptTurn.Calls.class);
    assertThat(((ScriptTurn.Calls) workflow.script().get(1)).calls()).hasSize(2);
    assertThat(workflow.script().get(2)).isEqualTo(new ScriptTurn.Answer("All done."));
  }

  @Test
  void defaultsApplyWhenOptionalSectionsAreMissing() {
    WorkflowDefinition workflow =
        Workflows.parse(
            "wf.yaml",
            """
            name: minimal
            version: "1"
            goal: Do one thing.
            model: {provider: scripted, name: scripted}
            tools: [support-triage]
            """);

    assertThat(workflow.limits()).isEqualTo(Limits.DEFAULT);
    assertThat(workflow.effectCap()).isEqualTo(Effect.READ);
    assertThat(workflow.script()).isEmpty();
    assertThat(workflow.instructions()).isEmpty();
  }

  @Test
  void anUnknownKeyIsNamedWithItsLine() {
    String yaml = VALID.replace("  max-steps: 8", "  max-step: 8");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .isInstanceOf(WorkflowException.class)
        .hasMessageStartingWith("wf.yaml:19:")
        .hasMessageContaining("unknown key 'max-step' in 'limits'")
        .hasMessageContaining("known keys here: deadline, loop-threshold, max-steps");
  }

  @Test
  void aWrongTypeIsNamedWithItsLineAndKey() {
    String yaml = VALID.replace("max-steps: 8", "max-steps: eight");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .isInstanceOf(WorkflowException.class)
        .hasMessageStartingWith("wf.yaml:19:")
        .hasMessageContaining("'limits.max-steps'")
        .hasMessageContaining("a whole number");
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    String yaml = VALID.replace("goal: Classify a ticket and draft a reply.\n", "");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .isInstanceOf(WorkflowException.class)
        .hasMessage("wf.yaml:1:1: missing required key 'goal' at the top level");
  }

  @Test
  void aBadDurationSaysHowToWriteOne() {
    String yaml = VALID.replace("deadline: 2m", "deadline: soon");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .hasMessageStartingWith("wf.yaml:20:")
        .hasMessageContaining("'limits.deadline'")
        .hasMessageContaining("a duration (500ms, 30s, 2m, 1h)");
  }

  @Test
  void limitsOutOfRangeAreNamedWithTheRule() {
    String yaml = VALID.replace("max-steps: 8", "max-steps: 0");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .hasMessageStartingWith("wf.yaml:")
        .hasMessageContaining("max-steps must be between 1 and 1000, but was 0")
        .hasMessageContaining("in 'limits'");
  }

  @Test
  void anUnknownProviderListsTheKnownOnes() {
    String yaml = VALID.replace("provider: openai", "provider: openia");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .hasMessageStartingWith("wf.yaml:")
        .hasMessageContaining(
            "model provider 'openia' is not known; use one of anthropic, gemini, ollama, openai,"
                + " scripted");
  }

  @Test
  void aBadEffectCapListsTheEffects() {
    String yaml = VALID.replace("effect-cap: propose", "effect-cap: everything");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .hasMessageStartingWith("wf.yaml:17:")
        .hasMessageContaining("one of READ, PROPOSE, WRITE, EXTERNAL, DESTRUCTIVE");
  }

  @Test
  void anAmbiguousScriptTurnIsRefused() {
    String yaml = VALID.replace("  - say: All done.", "  - say: All done.\n    call: x");

    assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
        .hasMessageContaining("exactly one of 'say', 'call' (with 'args') or 'calls'")
        .hasMessageContaining("script[2]");
  }

  @Test
  void brokenYamlAndEmptyFilesAreClearErrors() {
    assertThatThrownBy(() -> Workflows.parse("wf.yaml", "name: \"unclosed\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> Workflows.parse("wf.yaml", ""))
        .isInstanceOf(WorkflowException.class)
        .hasMessage("wf.yaml: the file is empty");
    assertThatThrownBy(() -> Workflows.parse("wf.yaml", "- a\n- b\n"))
        .isInstanceOf(WorkflowException.class)
        .hasMessageContaining("wrong type");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> Workflows.load(missing))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(missing + ": no such workflow file");
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("wf.yaml");
    Files.writeString(file, VALID);

    assertThat(Workflows.load(file).name()).isEqualTo("support-triage");
  }

  @Test
  void anUnknownToolProviderIsNamed() {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", VALID);

    assertThatThrownBy(() -> Workflows.tools(workflow, getClass().getClassLoader()))
        .hasMessageStartingWith("no tool provider named 'support-triage' on the class path");
  }
}
