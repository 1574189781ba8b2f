package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow's {@code guards:} section, through Bridle's own loader and run loop: a competitor's
 * sign-up stops at the input.
 */
class WorkflowGuardsTest {

  private static final String GAVIN_SIGNS_UP =
      "New lead L-1013 signed up: Gavin Sterling <gavin@pipelinepeak.example>, PipelinePeak";
  private static final String MARA_SIGNS_UP =
      "New lead L-1004 signed up: Mara Quist <mara.quist@fernhollow.example>, Fernhollow Bakery";

  @TempDir Path dir;

  private final WorkflowDefinition workflow = WorkflowFile.definition();
  private final InMemoryRunStore store = new InMemoryRunStore();
  private Path crm;
  private String previousLocation;

  @BeforeEach
  void pointTheToolProviderAtAFreshCrm() {
    crm = dir.resolve("crm.db");
    previousLocation = System.setProperty(LeadCrm.LOCATION_PROPERTY, crm.toString());
  }

  @AfterEach
  void restoreTheCrmLocation() {
    if (previousLocation == null) {
      System.clearProperty(LeadCrm.LOCATION_PROPERTY);
    } else {
      System.setProperty(LeadCrm.LOCATION_PROPERTY, previousLocation);
    }
  }

  @Test
  void theInputBlocklistIsTheBundledCompetitorList() {
    List<?> chain = (List<?>) workflow.guards().config().get("chain");
    Map<?, ?> competitors =
        chain.stream()
            .map(Map.class::cast)
            .filter(guard -> "competitors".equals(guard.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no guard named competitors"));

    assertThat(competitors.get("type")).isEqualTo("blocklist");
    assertThat(((List<?>) competitors.get("domains")).stream().map(String::valueOf).toList())
        .as("the guard's domains are competitor-domains.txt")
        .containsExactlyInAnyOrderElementsOf(CompetitorDomains.bundled().domains());
  }

  @Test
  void theGuardsRefuseExactlyTheSignUpsThatCompetitorDomainsRefuses() {
    GuardChain guards = workflow.guards().chain(GuardHooks.none());
    CompetitorDomains competitors = CompetitorDomains.bundled();
    List<String> inputs =
        new java.util.ArrayList<>(
            List.of(
                "new sign-up: CHLOE.RAYNOR@EU.LEADLOOM.EXAMPLE",
                "Company website: https://www.pipelinepeak.example/pricing",
                "they work at pipelinepeak.example.",
                "someone@notrivalreach.example asked about rivalreach",
                "pipelinepeak.example.org is somebody else"));
    LeadCrm.bundledLeads()
        .forEach(
            lead ->
                inputs.add(
                    "New lead "
                        + lead.id()
                        + " signed up: "
                        + lead.name()
                        + " <"
                        + lead.email()
                        + ">, "
                        + lead.company()));

    assertThat(inputs)
        .allSatisfy(
            input ->
                assertThat(guards.check(GuardSubject.input(workflow.name(), input)).proceeds())
                    .as(input)
                    .isEqualTo(competitors.screen(input).isEmpty()));
    assertThat(inputs).filteredOn(input -> competitors.screen(input).isPresent()).hasSize(7);
  }

  @Test
  void aCompetitorsSignUpStopsAtTheInputAndNeitherTheModelNorATool() {
    Agent agent =
        Workflows.agent(
                workflow,
                ScriptedChatModel.of(workflow.name(), workflow.script()),
                getClass().getClassLoader())
            .journal(store)
            .build();

    RunResult result = agent.run(RunId.random(), GAVIN_SIGNS_UP, "sales-ops");

    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            RunOutcome.Blocked.class,
            blocked -> assertThat(blocked.guard()).isEqualTo("competitors"));
    List<RunEvent> events = events(result.runId());
    assertThat(events)
        .filteredOn(RunEvent.GuardTripped.class::isInstance)
        .map(RunEvent.GuardTripped.class::cast)
        .singleElement()
        .satisfies(
            trip -> {
              assertThat(trip.guard()).isEqualTo("competitors");
              assertThat(trip.stage()).isEqualTo(GuardStage.INPUT);
              assertThat(trip.kind()).isEqualTo(GuardTrip.Kind.BLOCK);
            });
    assertThat(events)
        .as("the model is never asked")
        .noneMatch(RunEvent.ModelResponded.class::isInstance);
    assertThat(result.usage().totalTokens()).isZero();
    assertThat(result.toolCalls()).isEmpty();
    assertThat(crm).as("no tool ran, so the CRM was never opened").doesNotExist();
  }

  @Test
  void anyOtherSignUpPassesTheGuardsAndWaitsForAHumanBeforeTheBioIsWritten() {
    Agent agent =
        Workflows.agent(
                workflow,
                ScriptedChatModel.of(workflow.name(), workflow.script()),
                getClass().getClassLoader())
            .journal(store)
            .build();

    RunResult result = agent.run(RunId.random(), MARA_SIGNS_UP, "sales-ops");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::name, ToolCallSummary::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("get_lead", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("find_public_profile", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("update_lead_bio", "awaiting_approval"));
    assertThat(events(result.runId()))
        .filteredOn(RunEvent.GuardTripped.class::isInstance)
        .map(RunEvent.GuardTripped.class::cast)
        .noneMatch(trip -> trip.kind() == GuardTrip.Kind.BLOCK);
  }

  @Test
  void aCompetitorsRecordReadByIdIsWithheldFromTheModel() {
    Agent agent =
        Workflows.agent(
                workflow,
                ScriptedChatModel.builder()
                    .thenCall("get_lead", Map.of("lead_id", "L-1007"))
                    .thenAnswer("Lead L-1007 could not be read.")
                    .build(),
                getClass().getClassLoader())
            .journal(store)
            .build();

    RunResult result =
        agent.run(
            RunId.random(), "New lead L-1007 signed up (no details in the form)", "sales-ops");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    List<RunEvent> events = events(result.runId());
    assertThat(events)
        .filteredOn(RunEvent.GuardTripped.class::isInstance)
        .map(RunEvent.GuardTripped.class::cast)
        .singleElement()
        .satisfies(
            trip -> {
              assertThat(trip.guard()).isEqualTo("competitors");
              assertThat(trip.stage()).isEqualTo(GuardStage.TOOL_RESULT);
              assertThat(trip.kind()).isEqualTo(GuardTrip.Kind.BLOCK);
            });
    assertThat(events)
        .filteredOn(RunEvent.ToolCallCompleted.class::isInstance)
        .map(RunEvent.ToolCallCompleted.class::cast)
        .singleElement()
        .satisfies(
            read ->
                assertThat(read.observation())
                    .startsWith("[The result of get_lead was withheld by guard competitors")
                    .doesNotContain("Derek Holloway"));
  }

  private List<RunEvent> events(RunId runId) {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }
}
