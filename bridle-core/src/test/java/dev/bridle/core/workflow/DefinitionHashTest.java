package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition hash: stable for the same definition, different for any change that matters. */
class DefinitionHashTest {

  private static final String BASE =
      """
      name: hashed
      version: "1"
      goal: Read tickets and pay.
      model: {provider: scripted, name: scripted}
      instructions: |
        Read the ticket first.
      tools: [policy-test-tools]
      effect-cap: external
      policy:
        mode: supervised
        rules:
          - {tools: "get_*", verdict: allow}
          - {tools: pay, verdict: ask}
      """;

  /** The same workflow with its keys, and the keys inside its mappings, in another order. */
  private static final String REORDERED =
      """
      policy:
        rules:
          - {verdict: allow, tools: "get_*"}
          - {verdict: ask, tools: pay}
        mode: supervised
      effect-cap: external
      tools: [policy-test-tools]
      instructions: |
        Read the ticket first.
      model: {name: scripted, provider: scripted}
      goal: Read tickets and pay.
      version: "1"
      name: hashed
      """;

  @TempDir Path dir;
  private ClassLoader loader;

  @BeforeEach
  void loader() throws Exception {
    loader = WorkflowsTest.loader(dir);
  }

  private String hash(String yaml) {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", yaml);
    return Workflows.agent(
            workflow, ScriptedChatModel.of("hashed", List.of(new ScriptTurn.Answer("ok"))), loader)
        .build()
        .definitionHash();
  }

  @Test
  void isSha256InHexAndTheSameEveryTime() {
    String first = hash(BASE);

    assertThat(first).matches("sha256:[0-9a-f]{64}");
    assertThat(hash(BASE)).isEqualTo(first);
  }

  @Test
  void theOrderOfKeysInTheFileDoesNotChangeIt() {
    assertThat(hash(REORDERED)).isEqualTo(hash(BASE));
  }

  @Test
  void theVersionLabelAndTheModelAreNotPartOfIt() {
    // both are recorded on RunStarted next to the hash; the hash says what the agent is told
    String other =
        BASE.replace("version: \"1\"", "version: \"2\"")
            .replace("{provider: scripted, name: scripted}", "{provider: openai, name: gpt-4o}");

    assertThat(hash(other)).isEqualTo(hash(BASE));
  }

  @Test
  void changingTheInstructionsChangesIt() {
    assertThat(hash(BASE.replace("Read the ticket first.", "Read the ticket first!")))
        .isNotEqualTo(hash(BASE));
  }

  @Test
  void changingThePolicyChangesIt() {
    assertThat(hash(BASE.replace("{tools: pay, verdict: ask}", "{tools: pay, verdict: deny}")))
        .isNotEqualTo(hash(BASE));
    assertThat(hash(BASE.replace("mode: supervised", "mode: propose"))).isNotEqualTo(hash(BASE));
  }

  @Test
  void offeringFewerToolsChangesIt() {
    String fewer =
        BASE.replace(
            "tools: [policy-test-tools]",
            "tools: [{provider: policy-test-tools, include: [get_ticket, pay]}]");

    assertThat(hash(fewer)).isNotEqualTo(hash(BASE));
  }

  record Lookup(String id) {}

  record LookupWithLimit(String id, int limit) {}

  private static Tool<?> lookup(String description, Effect effect) {
    return Tool.builder("lookup", Lookup.class)
        .description(description)
        .effect(effect)
        .handler((args, ctx) -> "found")
        .build();
  }

  private static Tool<?> note() {
    return Tool.builder("note", Lookup.class)
        .description("Adds a note")
        .effect(Effect.PROPOSE)
        .handler((args, ctx) -> "noted")
        .build();
  }

  private static Agent.Builder agent(List<Tool<?>> tools) {
    return Agent.builder()
        .name("java")
        .instructions("Look it up.")
        .model(ScriptedChatModel.of("java", List.of(new ScriptTurn.Answer("ok"))))
        .tools(tools);
  }

  @Test
  void aToolsDescriptionSchemaOrEffectChangesIt() {
    String base = agent(List.of(lookup("Looks up a record", Effect.READ))).build().definitionHash();

    assertThat(agent(List.of(lookup("Looks up any record", Effect.READ))).build().definitionHash())
        .isNotEqualTo(base);
    assertThat(agent(List.of(lookup("Looks up a record", Effect.WRITE))).build().definitionHash())
        .isNotEqualTo(base);
    Tool<?> widerSchema =
        Tool.builder("lookup", LookupWithLimit.class)
            .description("Looks up a record")
            .handler((args, ctx) -> "found")
            .build();
    assertThat(agent(List.of(widerSchema)).build().definitionHash()).isNotEqualTo(base);
  }

  @Test
  void theOrderOfTheToolsDoesNotChangeIt() {
    Tool<?> lookup = lookup("Looks up a record", Effect.READ);

    assertThat(agent(List.of(lookup, note())).build().definitionHash())
        .isEqualTo(agent(List.of(note(), lookup)).build().definitionHash());
  }

  @Test
  void aDeclaredPolicyVersionIsWhatTheHashSees() {
    Rule allow = Rule.allow("*");
    Policy v7 = Policy.builder().version("7").rule(allow).build();
    Policy v8 = Policy.builder().version("8").rule(allow).build();
    List<Tool<?>> tools = List.of(note());

    assertThat(agent(tools).policy(v7).build().definitionHash())
        .isNotEqualTo(agent(tools).policy(v8).build().definitionHash());
  }

  @Test
  void everyRunRecordsTheHashWithTheVersionAndTheModel() {
    InMemoryRunStore journal = new InMemoryRunStore();
    Agent agent =
        Agent.builder()
            .name("java")
            .version("4")
            .instructions("Say hello.")
            .model(ScriptedChatModel.of("java", List.of(new ScriptTurn.Answer("hello"))))
            .journal(journal)
            .build();

    RunId run = agent.run(RunId.of("r-hash"), "greet").runId();

    RunEvent.RunStarted started =
        (RunEvent.RunStarted)
            journal.readAfter(run, 0).stream()
                .map(JournalEntry::event)
                .filter(RunEvent.RunStarted.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertThat(started.workflowVersion()).isEqualTo("4");
    assertThat(started.modelId()).isEqualTo("scripted:java");
    assertThat(started.definitionHash()).isEqualTo(agent.definitionHash());
  }
}
