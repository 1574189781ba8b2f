package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.guard.ChainResult;
import dev.bridle.core.guard.Guard;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code guards:} section: checked at load, built with the application's hooks. */
class WorkflowGuardsTest {

  static final String GUARDED =
      """
      name: guarded
      version: "1"
      goal: Answer questions about tickets.
      model: {provider: scripted, name: scripted}
      tools: [policy-test-tools]
      effect-cap: external
      guards:
        max-reasks: 1
        chain:
          - type: size-limit
            input: 2000
          - type: blocklist
            domains: [rival.example]
          - type: id-validity
            id-pattern: 'TCK-\\d+'
            lookup: tickets
            tools: [get_ticket]
          - type: pii
            stages: [model-output]
      """;

  private static final GuardHooks TICKETS =
      GuardHooks.builder().idLookup("tickets", id -> id.equals("TCK-1")).build();

  @TempDir Path dir;

  @Test
  void theSectionIsBuiltIntoAChainWithTheApplicationsHooks() {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", GUARDED);

    GuardChain chain = workflow.guards().chain(TICKETS);

    assertThat(chain.guards())
        .extracting(Guard::name)
        .containsExactly("size-limit", "blocklist", "id-validity", "pii");
    assertThat(chain.maxReasks()).isEqualTo(1);
    assertThat(workflow.guards().positions()).containsKey("guards.chain[2].lookup");
  }

  @Test
  void withoutASectionThereAreNoGuards() {
    WorkflowDefinition workflow =
        Workflows.parse("wf.yaml", GUARDED.substring(0, GUARDED.indexOf("guards:")));

    assertThat(workflow.guards()).isEqualTo(WorkflowGuards.NONE);
    assertThat(workflow.guards().chain(GuardHooks.none()).guards()).isEmpty();
  }

  @Test
  void theAgentGetsTheChainAndAnInputOnTheBlocklistStopsTheRunBeforeTheModel() throws Exception {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", GUARDED);
    ScriptedChatModel model = ScriptedChatModel.builder().thenAnswer("never asked").build();
    Agent agent = Workflows.agent(workflow, model, WorkflowsTest.loader(dir), TICKETS).build();

    RunResult result = agent.run("Please look at TCK-1, from bob@mail.rival.example");

    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            RunOutcome.Blocked.class,
            blocked -> assertThat(blocked.guard()).isEqualTo("blocklist"));
    List<RunEvent> events =
        agent.journal().read(result.runId()).stream().map(JournalEntry::event).toList();
    assertThat(events)
        .filteredOn(RunEvent.GuardTripped.class::isInstance)
        .map(RunEvent.GuardTripped.class::cast)
        .singleElement()
        .satisfies(
            trip -> {
              assertThat(trip.guard()).isEqualTo("blocklist");
              assertThat(trip.stage()).isEqualTo(GuardStage.INPUT);
              assertThat(trip.kind()).isEqualTo(GuardTrip.Kind.BLOCK);
            });
    assertThat(events).noneMatch(RunEvent.ModelResponded.class::isInstance);
  }

  @Test
  void aHookTheApplicationDoesNotRegisterIsNamedAtItsLineWhenTheAgentIsBuilt() throws Exception {
    WorkflowDefinition workflow = Workflows.parse("wf.yaml", GUARDED);
    ScriptedChatModel model = ScriptedChatModel.builder().thenAnswer("x").build();
    ClassLoader loader = WorkflowsTest.loader(dir);

    assertThatThrownBy(() -> Workflows.agent(workflow, model, loader))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:16:7: guards.chain[2] (id-validity).lookup: no id lookup named 'tickets' is"
                + " registered (none are registered; pass them in GuardHooks)");
    GuardHooks other = GuardHooks.builder().idLookup("orders", id -> true).build();
    assertThatThrownBy(() -> Workflows.agent(workflow, model, loader, other))
        .hasMessageEndingWith("no id lookup named 'tickets' is registered; registered: orders");
  }

  @Test
  void anUnknownGuardTypeIsNamedAtItsEntry() {
    assertThatThrownBy(() -> parse(GUARDED.replace("type: pii", "type: pi")))
        .isInstanceOf(WorkflowException.class)
        .hasMessage(
            "wf.yaml:18:7: guards.chain[3]: unknown guard type 'pi'; known types: blocklist,"
                + " id-validity, injection-heuristics, input-scope, json-schema, pii,"
                + " prohibited-language, size-limit");
  }

  @Test
  void anUnknownKeyIsNamedAtItsEntryWithTheKnownKeys() {
    assertThatThrownBy(() -> parse(GUARDED.replace("domains:", "domain:")))
        .hasMessage(
            "wf.yaml:12:7: guards.chain[1] (blocklist): unknown key 'domain'; known keys: action,"
                + " domains, name, stages, terms, type");
  }

  @Test
  void aWrongValueIsNamedAtItsKey() {
    assertThatThrownBy(() -> parse(GUARDED.replace("input: 2000", "input: lots")))
        .hasMessage(
            "wf.yaml:11:7: guards.chain[0] (size-limit).input: must be a whole number, but was"
                + " the string 'lots'");
    assertThatThrownBy(() -> parse(GUARDED.replace("[model-output]", "[model-outpt]")))
        .hasMessageStartingWith("wf.yaml:19:7: guards.chain[3] (pii).stages: ");
    assertThatThrownBy(() -> parse(GUARDED.replace("max-reasks: 1", "max-reasks: many")))
        .hasMessage(
            "wf.yaml:8:3: guards.max-reasks: must be a whole number, but was the string"
                + " 'many'");
  }

  @Test
  void aProblemWithTheWholeChainIsNamedAtTheSection() {
    String twoBlocklists =
        GUARDED.replace(
            "    - type: pii\n",
            "    - type: blocklist\n      terms: [gift card]\n    - type: pii\n");

    assertThatThrownBy(() -> parse(twoBlocklists))
        .hasMessageStartingWith("wf.yaml:7:1: guards: ")
        .hasMessageContaining("blocklist");
    assertThatThrownBy(() -> parse(GUARDED.replaceAll("(?s)  chain:.*", "  chain: size-limit\n")))
        .hasMessage(
            "wf.yaml:9:3: guards.chain: must be a list of guards, but was the string"
                + " 'size-limit'");
  }

  @Test
  void aSectionThatIsNotAMappingIsAWrongType() {
    assertThatThrownBy(() -> parse(GUARDED.replaceAll("(?s)guards:.*", "guards: [size-limit]\n")))
        .hasMessage("wf.yaml:7:1: wrong type for 'guards': expected a mapping of keys to values");
  }

  @Test
  void theExampleWorkflowsGuardsBuildAndSupportTriageRedactsCardNumbersInItsAnswer() {
    WorkflowDefinition leads = Workflows.load(Path.of("../examples/lead-enrichment/workflow.yaml"));
    WorkflowDefinition triage = Workflows.load(Path.of("../examples/support-triage/workflow.yaml"));

    assertThat(leads.guards().chain(GuardHooks.none()).guards())
        .extracting(Guard::name)
        .containsExactly("size-limit", "competitors", "pii");
    ChainResult answer =
        triage
            .guards()
            .chain(GuardHooks.none())
            .check(
                GuardSubject.finalAnswer(
                    triage.name(), "The customer paid with card 4111 1111 1111 1111 twice."));
    assertThat(answer.proceeds()).isTrue();
    assertThat(answer.text())
        .isEqualTo("The customer paid with card [REDACTED:CREDIT_CARD] twice.");
  }

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }
}
