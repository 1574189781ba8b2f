package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Provenance;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
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

  @Test
  void withoutAPolicySectionTheDefaultsApplyAndNoCredentials() {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", VALID);

    assertThat(workflow.policy()).isEqualTo(Policy.defaults());
    assertThat(workflow.credentials()).isEmpty();
    assertThat(workflow.positions()).isEmpty();
  }

  /** A workflow file with every policy key, over the tools of {@link PolicyTestTools}. */
  static final String POLICY =
      """
      name: crm-updates
      version: "2"
      goal: Keep lead records current.
      model: {provider: scripted, name: scripted}
      tools: [policy-test-tools]
      effect-cap: external
      credentials: [PATH, CRM_TOKEN]
      policy:
        version: "3"
        mode: propose
        max-unapproved-effect: write
        allow-destructive: false
        roles: {approvers: [alice, bob], sales: [carol]}
        rules:
          - {id: reads, tools: "get_*", verdict: allow}
          - tools: update_lead
            principals: ["role:sales", dave]
            resources: "L-*"
            verdict: ask
          - {tools: send_email, verdict: deny}
        constraints:
          - {tools: update_lead, writable-fields: {argument: changes, allowed: [bio, notes]}}
          - {tools: pay, bounds: {argument: amount, min: 0, max: 500}}
          - tools: send_email
            recipients: {argument: to, allow: [example.com], block: [competitor.com]}
          - {tools: "update_*", max-items: {argument: ids, max: 1}}
        provenance: {untrusted-tools: [get_ticket], on-tainted: deny}
        four-eyes: [pay]
        approvals: {timeout: 2h, on-timeout: approve}
        undo-window: 90s
      """;

  @Nested
  class Policies {

    @Test
    void everyKeyIsRead() {
      Policy policy = Workflows.parse("wf.yaml", POLICY).policy();

      assertThat(policy.version()).isEqualTo("3");
      assertThat(policy.mode()).isEqualTo(Mode.PROPOSE);
      assertThat(policy.maxUnapprovedEffect()).isEqualTo(Effect.WRITE);
      assertThat(policy.allowDestructive()).isFalse();
      assertThat(policy.roles())
          .isEqualTo(Map.of("approvers", Set.of("alice", "bob"), "sales", Set.of("carol")));
      assertThat(policy.rules())
          .containsExactly(
              new Rule("reads", List.of("*"), "*", "get_*", "*", Verdict.ALLOW),
              new Rule(
                  "rules[1]",
                  List.of("role:sales", "dave"),
                  "*",
                  "update_lead",
                  "L-*",
                  Verdict.ASK),
              new Rule("rules[2]", List.of("*"), "*", "send_email", "*", Verdict.DENY));
      assertThat(policy.constraints())
          .containsExactly(
              new ArgumentConstraint.WritableFields(
                  "update_lead", "changes", Set.of("bio", "notes")),
              new ArgumentConstraint.Bounds(
                  "pay", "amount", BigDecimal.ZERO, new BigDecimal("500")),
              new ArgumentConstraint.Recipients(
                  "send_email", "to", Set.of("example.com"), Set.of("competitor.com")),
              new ArgumentConstraint.MaxItems("update_*", "ids", 1));
      assertThat(policy.provenance())
          .isEqualTo(new Provenance(List.of("get_ticket"), Verdict.DENY));
      assertThat(policy.fourEyes()).containsExactly("pay");
      assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofHours(2));
      assertThat(policy.onTimeout()).isEqualTo(Verdict.ALLOW);
      assertThat(policy.undoWindow()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void omittedKeysTakeTheDefaultsAndTheVersionIsAHashOfTheContent() {
      String yaml = minimal("  rules:\n    - {tools: \"*\", verdict: allow}\n");
      Policy policy = Workflows.parse("wf.yaml", yaml).policy();

      assertThat(policy.mode()).isEqualTo(Mode.SUPERVISED);
      assertThat(policy.maxUnapprovedEffect()).isEqualTo(Effect.WRITE);
      assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofHours(24));
      assertThat(policy.onTimeout()).isEqualTo(Verdict.DENY);
      assertThat(policy.undoWindow()).isEqualTo(Duration.ofSeconds(60));
      assertThat(policy.provenance()).isEqualTo(Provenance.DEFAULT);
      assertThat(policy.version())
          .startsWith("sha256:")
          .isEqualTo(Workflows.parse("other.yaml", yaml).policy().version())
          .isNotEqualTo(
              Workflows.parse("wf.yaml", yaml.replace("verdict: allow", "verdict: ask"))
                  .policy()
                  .version());
    }

    @Test
    void theAgentGetsThePolicyAndOnlyTheListedCredentials(@TempDir Path dir) throws Exception {
      WorkflowDefinition workflow = Workflows.parse("wf.yaml", POLICY);

      Agent agent =
          Workflows.agent(
                  workflow,
                  ScriptedChatModel.of("crm-updates", List.of(new ScriptTurn.Answer("done"))),
                  loader(dir))
              .build();

      assertThat(agent.policy()).isSameAs(workflow.policy());
      assertThat(workflow.credentials()).containsExactly("CRM_TOKEN", "PATH");
      assertThat(agent.credentials().lookup("PATH"))
          .isEqualTo(java.util.Optional.ofNullable(System.getenv("PATH")));
      assertThat(System.getenv("HOME")).isNotNull();
      assertThat(agent.credentials().lookup("HOME")).isEmpty();
      Tool<?> updateLead = agent.tools().find("update_lead").orElseThrow();
      assertThat(
              agent
                  .policy()
                  .decide(
                      new PolicyRequest(
                          "carol",
                          "crm-updates",
                          updateLead.facts(),
                          json("{\"lead_id\": \"L-7\", \"changes\": {\"bio\": \"x\"}}"),
                          PolicyRequest.Evidence.NONE))
                  .rule())
          .isEqualTo("rules[1]");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
      String yaml = POLICY.replace("  mode: propose", "  modes: propose");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .isInstanceOf(WorkflowException.class)
          .hasMessage(
              "wf.yaml:10:3: unknown key 'modes' in 'policy'; known keys here: allow-destructive,"
                  + " approvals, constraints, four-eyes, max-unapproved-effect, mode, provenance,"
                  + " roles, rules, undo-window, version");
    }

    @Test
    void aRuleWithAnAllowFlagInsteadOfAVerdictIsNamed() {
      String withoutVerdict =
          POLICY.replace("tools: send_email, verdict: deny", "tools: send_email, allow: false");
      String withBoth =
          POLICY.replace(
              "tools: send_email, verdict: deny", "tools: send_email, verdict: deny, allow: false");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", withoutVerdict))
          .hasMessage("wf.yaml:20:7: missing required key 'verdict' in 'policy.rules[2]'");
      assertThatThrownBy(() -> Workflows.parse("wf.yaml", withBoth))
          .hasMessage(
              "wf.yaml:20:42: unknown key 'allow' in 'policy.rules[2]'; known keys here: id,"
                  + " principals, resources, tools, verdict");
    }

    @Test
    void aBadModeListsTheModes() {
      String yaml = POLICY.replace("mode: propose", "mode: yolo");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:10:3: wrong value for 'policy.mode': 'yolo' is not one of SHADOW, PROPOSE,"
                  + " SUPERVISED, AUTONOMOUS");
    }

    @Test
    void aBadEffectListsTheEffects() {
      String yaml = POLICY.replace("max-unapproved-effect: write", "max-unapproved-effect: all");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:11:3: wrong value for 'policy.max-unapproved-effect': 'all' is not one of"
                  + " READ, PROPOSE, WRITE, EXTERNAL, DESTRUCTIVE");
    }

    @Test
    void aRuleWithoutAVerdictIsNamed() {
      String yaml = POLICY.replace("\n      verdict: ask", "");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage("wf.yaml:16:7: missing required key 'verdict' in 'policy.rules[1]'");
    }

    @Test
    void aBadVerdictListsTheVerdicts() {
      String yaml = POLICY.replace("verdict: ask", "verdict: maybe");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:19:7: wrong value for 'policy.rules[1].verdict': 'maybe' is not one of"
                  + " ALLOW, DENY, ASK");
    }

    @Test
    void aConstraintWithTwoKindsIsRefused() {
      String yaml =
          POLICY.replace(
              "bounds: {argument: amount, min: 0, max: 500}}",
              "bounds: {argument: amount, max: 500}, max-items: {argument: ids, max: 1}}");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:23:7: a constraint needs exactly one of writable-fields, bounds, recipients,"
                  + " max-items or ask-above, but has bounds and max-items in"
                  + " 'policy.constraints[1]'");
    }

    @Test
    void aConstraintWithoutAKindIsRefused() {
      String yaml =
          POLICY.replace(
              "{tools: pay, bounds: {argument: amount, min: 0, max: 500}}", "{tools: pay}");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:23:7: a constraint needs exactly one of writable-fields, bounds, recipients,"
                  + " max-items or ask-above in 'policy.constraints[1]'");
    }

    @Test
    void inconsistentConstraintsAreNamed() {
      assertThatThrownBy(() -> Workflows.parse("wf.yaml", POLICY.replace("min: 0", "min: 600")))
          .hasMessage(
              "wf.yaml:23:20: bounds min must not exceed max, but min is 600 and max is 500 in"
                  + " 'policy.constraints[1].bounds'");
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("block: [competitor.com]", "block: [example.com]")))
          .hasMessage(
              "wf.yaml:25:7: 'example.com' is on both the allow and the block list in"
                  + " 'policy.constraints[2].recipients'");
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml",
                      POLICY.replace("block: [competitor.com]", "block: [https://competitor.com]")))
          .hasMessageStartingWith("wf.yaml:25:7: block entries are domains (example.com, which")
          .hasMessageEndingWith(
              "but 'https://competitor.com' is neither in 'policy.constraints[2].recipients'");
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("allowed: [bio, notes]", "allowed: []")))
          .hasMessageStartingWith("wf.yaml:22:28: allowed must list at least one field");
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("{argument: ids, max: 1}", "{argument: ids}")))
          .hasMessage(
              "wf.yaml:26:27: missing required key 'max' in 'policy.constraints[3].max-items'");
    }

    @Test
    void aBadDurationIsNamed() {
      assertThatThrownBy(() -> Workflows.parse("wf.yaml", POLICY.replace("90s", "a while")))
          .hasMessage(
              "wf.yaml:30:3: wrong value for 'policy.undo-window': 'a while' is not a duration"
                  + " (500ms, 30s, 2m, 1h)");
      assertThatThrownBy(
              () -> Workflows.parse("wf.yaml", POLICY.replace("timeout: 2h", "timeout: 0s")))
          .hasMessage(
              "wf.yaml:29:3: approvals timeout must be positive, but was PT0S in"
                  + " 'policy.approvals'");
    }

    @Test
    void badProvenanceAndTimeoutVerdictsListTheChoices() {
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("on-tainted: deny", "on-tainted: allow")))
          .hasMessage(
              "wf.yaml:27:47: wrong value for 'policy.provenance.on-tainted': 'allow' is not one of"
                  + " ASK, DENY");
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("on-timeout: approve", "on-timeout: escalate")))
          .hasMessage(
              "wf.yaml:29:28: wrong value for 'policy.approvals.on-timeout': 'escalate' is not one"
                  + " of REJECT, APPROVE");
    }

    @Test
    void aRoleThatIsNotDefinedIsNamed() {
      String yaml = POLICY.replace("\"role:sales\"", "\"role:salse\"");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .isInstanceOf(WorkflowException.class)
          .hasMessage(
              "wf.yaml:17:20: role 'salse' is not defined under policy.roles (defined: approvers,"
                  + " sales) in 'policy.rules[1].principals[0]'");
    }

    @Test
    void twoRulesWithOneIdAreRefused() {
      String yaml =
          POLICY.replace(
              "{tools: send_email, verdict: deny}",
              "{id: reads, tools: send_email, verdict: deny}");

      assertThatThrownBy(() -> Workflows.parse("wf.yaml", yaml))
          .hasMessage(
              "wf.yaml:20:8: rule id 'reads' is used twice; decisions name rules by id, so ids"
                  + " must differ in 'policy.rules[2].id'");
    }

    @Test
    void aPolicyNeedsRules() {
      assertThatThrownBy(() -> Workflows.parse("wf.yaml", minimal("  mode: shadow\n")))
          .hasMessage("wf.yaml:6:1: missing required key 'rules' in 'policy'");
      assertThatThrownBy(() -> Workflows.parse("wf.yaml", minimal("  rules: []\n")))
          .hasMessage(
              "wf.yaml:6:1: rules must list at least one rule: without one every call is denied"
                  + " in 'policy'");
    }

    @Test
    void credentialsAreEnvironmentVariableNamesListedOnce() {
      assertThatThrownBy(
              () ->
                  Workflows.parse(
                      "wf.yaml", POLICY.replace("[PATH, CRM_TOKEN]", "[PATH, crm-token]")))
          .hasMessage(
              "wf.yaml:7:21: credentials lists environment variable names (letters, digits, '_'),"
                  + " but this entry is 'crm-token' in 'credentials[1]'");
      assertThatThrownBy(
              () -> Workflows.parse("wf.yaml", POLICY.replace("[PATH, CRM_TOKEN]", "[PATH, PATH]")))
          .hasMessage("wf.yaml:7:21: credential 'PATH' is listed twice in 'credentials[1]'");
    }

    @Test
    void aToolGlobThatMatchesNoToolIsNamedWhenTheToolsAreKnown(@TempDir Path dir) throws Exception {
      WorkflowDefinition workflow =
          Workflows.parse("wf.yaml", POLICY.replace("tools: \"get_*\"", "tools: \"get_tiket*\""));
      ClassLoader loader = loader(dir);

      assertThatThrownBy(() -> Workflows.tools(workflow, loader))
          .isInstanceOf(WorkflowException.class)
          .hasMessage(
              "wf.yaml:15:19: 'get_tiket*' matches none of the workflow's tools (get_ticket, pay,"
                  + " send_email, update_lead); is the name misspelled? in 'policy.rules[0].tools'");
    }

    @Test
    void everyOtherToolGlobIsCheckedToo(@TempDir Path dir) throws Exception {
      ClassLoader loader = loader(dir);

      assertThatThrownBy(() -> tools(POLICY.replace("{tools: pay,", "{tools: pays,"), loader))
          .hasMessageStartingWith("wf.yaml:23:8: 'pays' matches none of the workflow's tools")
          .hasMessageEndingWith("in 'policy.constraints[1].tools'");
      assertThatThrownBy(
              () ->
                  tools(
                      POLICY.replace(
                          "untrusted-tools: [get_ticket]", "untrusted-tools: [read_inbox]"),
                      loader))
          .hasMessageStartingWith("wf.yaml:27:34: 'read_inbox' matches none")
          .hasMessageEndingWith("in 'policy.provenance.untrusted-tools[0]'");
      assertThatThrownBy(
              () -> tools(POLICY.replace("four-eyes: [pay]", "four-eyes: [refund_*]"), loader))
          .hasMessageStartingWith("wf.yaml:28:15: 'refund_*' matches none")
          .hasMessageEndingWith("in 'policy.four-eyes[0]'");
    }

    @Test
    void aConstrainedArgumentThatTheToolLacksIsNamed(@TempDir Path dir) throws Exception {
      ClassLoader loader = loader(dir);

      assertThatThrownBy(() -> tools(POLICY.replace("argument: amount", "argument: amout"), loader))
          .isInstanceOf(WorkflowException.class)
          .hasMessage(
              "wf.yaml:23:29: 'amout' is not an argument of pay (it has: amount, iban), so the"
                  + " bounds constraint would never apply; fix the name or narrow 'tools' in"
                  + " 'policy.constraints[1].bounds.argument'");
      assertThat(tools(POLICY.replace("argument: changes", "argument: changes.bio"), loader))
          .as("a free-form object's keys are not known in advance, so a nested name passes")
          .hasSize(4);
    }

    @Test
    void aResourceGlobOnToolsWithoutAResourceIsNamed(@TempDir Path dir) throws Exception {
      String yaml =
          POLICY.replace(
              "{tools: send_email, verdict: deny}",
              "{tools: send_email, resources: \"x*\", verdict: deny}");

      assertThatThrownBy(() -> tools(yaml, loader(dir)))
          .hasMessage(
              "wf.yaml:20:27: rule 'rules[2]' restricts resources to 'x*', but none of its tools"
                  + " (send_email) names the record it acts on, so the rule would never match in"
                  + " 'policy.rules[2].resources'");
    }

    @Test
    void loadingAFileNamesTheFileInPolicyErrors(@TempDir Path dir) throws Exception {
      Path file = dir.resolve("crm.yaml");
      Files.writeString(file, POLICY.replace("four-eyes: [pay]", "four-eyes: [refund_*]"));
      WorkflowDefinition workflow = Workflows.load(file);

      assertThatThrownBy(() -> Workflows.tools(workflow, loader(dir)))
          .hasMessageStartingWith(file + ":28:15: ");
    }

    @Test
    void theExamplesInTheFormatGuideParse() throws Exception {
      String guide = Files.readString(Path.of("../docs/workflow-format.md"));
      List<String> blocks = yamlBlocks(guide);

      WorkflowDefinition full = Workflows.parse("guide.yaml", blocks.get(0));
      assertThat(full.credentials()).containsExactly("CRM_TOKEN");
      assertThat(full.policy().maxUnapprovedEffect()).isEqualTo(Effect.PROPOSE);

      String policyBlock = blocks.get(1);
      assertThat(policyBlock).startsWith("policy:");
      Policy documented =
          Workflows.parse("guide.yaml", minimal("").replace("policy:\n", policyBlock)).policy();
      assertThat(documented.rules())
          .extracting(Rule::id)
          .containsExactly("reads", "own-leads", "rules[2]");
      assertThat(documented.constraints()).hasSize(4);
      assertThat(documented.fourEyes()).containsExactly("refund_*");
    }

    private static List<String> yamlBlocks(String markdown) {
      List<String> blocks = new java.util.ArrayList<>();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL)
              .matcher(markdown);
      while (m.find()) {
        blocks.add(m.group(1));
      }
      return blocks;
    }

    private static String minimal(String policyBody) {
      return """
          name: minimal
          version: "1"
          goal: Do one thing.
          model: {provider: scripted, name: scripted}
          tools: [policy-test-tools]
          policy:
          """
          + policyBody;
    }

    private static List<Tool<?>> tools(String yaml, ClassLoader loader) {
      return Workflows.tools(Workflows.parse("wf.yaml", yaml), loader);
    }
  }

  /** A class loader that finds {@link PolicyTestTools} through the real ServiceLoader path. */
  static ClassLoader loader(Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(ToolProvider.class.getName()), PolicyTestTools.class.getName() + "\n");
    return new URLClassLoader(
        new URL[] {dir.toUri().toURL()}, WorkflowsTest.class.getClassLoader());
  }

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  record GetTicket(String ticket_id) {}

  record UpdateLead(String lead_id, Map<String, String> changes, List<String> ids) {}

  record SendEmail(String to, String body) {}

  record Pay(String iban, BigDecimal amount) {}

  /** Four tools with the shapes the policy in {@link #POLICY} talks about. */
  public static final class PolicyTestTools implements ToolProvider {
    public PolicyTestTools() {}

    @Override
    public String name() {
      return "policy-test-tools";
    }

    @Override
    public List<Tool<?>> tools() {
      return List.of(
          Tool.builder("get_ticket", GetTicket.class)
              .description("Reads a ticket")
              .handler((args, ctx) -> "ticket " + args.ticket_id())
              .build(),
          Tool.builder("update_lead", UpdateLead.class)
              .description("Changes fields of leads")
              .effect(Effect.WRITE)
              .reversible(true)
              .resource("lead_id")
              .handler((args, ctx) -> "updated")
              .build(),
          Tool.builder("send_email", SendEmail.class)
              .description("Sends an e-mail")
              .effect(Effect.EXTERNAL)
              .sensitive("to")
              .handler((args, ctx) -> "sent")
              .build(),
          Tool.builder("pay", Pay.class)
              .description("Pays an amount to an IBAN")
              .effect(Effect.EXTERNAL)
              .sensitive("iban", "amount")
              .handler((args, ctx) -> "paid")
              .build());
    }
  }
}
