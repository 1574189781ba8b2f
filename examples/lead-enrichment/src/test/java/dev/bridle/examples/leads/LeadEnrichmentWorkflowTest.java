package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Reverter;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@link Agent} + the scripted model of {@code workflow.yaml} + the real tools on a
 * SQLite CRM + the workflow's policy, with an in-memory journal, the approvals inbox and the
 * reverter.
 */
class LeadEnrichmentWorkflowTest {

  private static final String MARA_SIGNS_UP =
      "New lead L-1004 signed up: Mara Quist <mara.quist@fernhollow.example>, Fernhollow Bakery";
  private static final String AGENT = "agent:lead-enrichment@1";

  @TempDir Path dir;

  private WorkflowDefinition workflow;
  private LeadEnrichmentTools tools;
  private InMemoryRunStore store;

  @BeforeEach
  void loadTheWorkflowAndFreshTools() {
    workflow = WorkflowFile.definition();
    tools =
        new LeadEnrichmentTools(
            LeadCrm.at(dir.resolve("crm.db")), PublicProfiles.bundled(), Clock.systemUTC());
    store = new InMemoryRunStore();
  }

  @Test
  void theWorkflowFileNamesThisProviderAndItsLimits() {
    assertThat(workflow.name()).isEqualTo("lead-enrichment");
    assertThat(workflow.tools())
        .extracting(WorkflowDefinition.ToolSource::provider)
        .containsExactly(LeadEnrichmentTools.NAME);
    assertThat(workflow.effectCap()).isEqualTo(Effect.WRITE);
    assertThat(workflow.limits().maxSteps()).isEqualTo(8);
    assertThat(workflow.model().provider()).isEqualTo("openai");
    assertThat(workflow.model().name()).isEqualTo("gpt-4o-mini");
    assertThat(workflow.model().apiKeyEnv()).contains("OPENAI_API_KEY");
  }

  @Test
  void theScriptOnlyNamesToolsAndLeadsThatExist() {
    List<String> toolNames = tools.tools().stream().map(Tool::name).toList();
    List<ScriptTurn.Call> calls =
        workflow.script().stream()
            .flatMap(
                turn -> turn instanceof ScriptTurn.Calls c ? c.calls().stream() : Stream.empty())
            .toList();

    assertThat(calls)
        .extracting(ScriptTurn.Call::tool)
        .containsExactly("get_lead", "find_public_profile", "update_lead_bio");
    assertThat(calls).extracting(ScriptTurn.Call::tool).allMatch(toolNames::contains);
    Matcher ids = Pattern.compile("L-\\d{4}").matcher(workflow.script().toString());
    int found = 0;
    while (ids.find()) {
      assertThat(tools.crm().find(ids.group())).as(ids.group()).isPresent();
      found++;
    }
    assertThat(found).isPositive();
  }

  @Test
  void inProposeModeTheScriptedRunSuspendsBeforeTheBioUpdateAndWritesNothing() {
    Agent agent = agent(scripted());

    RunResult result = agent.run(RunId.random(), MARA_SIGNS_UP, "sales-ops");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(((RunOutcome.Suspended) result.outcome()).approvalIds())
        .containsExactly(result.runId().value() + "/" + result.toolCalls().get(2).callId());
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::name, ToolCallSummary::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("get_lead", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("find_public_profile", "succeeded"),
            org.assertj.core.groups.Tuple.tuple("update_lead_bio", "awaiting_approval"));
    assertThat(decisions(result.runId()))
        .extracting(RunEvent.PolicyDecided::toolName, RunEvent.PolicyDecided::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("get_lead", Verdict.ALLOW),
            org.assertj.core.groups.Tuple.tuple("find_public_profile", Verdict.ALLOW),
            org.assertj.core.groups.Tuple.tuple("update_lead_bio", Verdict.ASK));
    assertThat(tools.crm().require("L-1004").bio()).isEmpty();
    assertThat(tools.crm().writesOf("L-1004")).isEmpty();

    ApprovalItem item = inbox(agent).pendingFor(result.runId()).getFirst();
    assertThat(item.toolName()).isEqualTo("update_lead_bio");
    assertThat(item.reason()).startsWith("bio-needs-a-human: ");
    assertThat(item.preview())
        .startsWith("Set the Bio of L-1004 (Mara Quist, Fernhollow Bakery)\n  before: (empty)\n")
        .contains("after:  \"Head baker and co-owner of Fernhollow Bakery");
    assertThat(item.context().task()).isEqualTo(MARA_SIGNS_UP);
    assertThat(item.context().gathered())
        .extracting(ApprovalItem.Gathered::toolName)
        .containsExactly("get_lead", "find_public_profile");
  }

  @Test
  void approvedTheBioIsWrittenByTheAgentAndRevertingRestoresIt() {
    Agent agent = agent(scripted());
    RunResult suspended = agent.run(RunId.random(), MARA_SIGNS_UP, "sales-ops");
    String approvalId = ((RunOutcome.Suspended) suspended.outcome()).approvalIds().getFirst();

    inbox(agent).decide(approvalId, RunEvent.Decision.APPROVE, null, null, "alice");
    RunResult result = agent.resume(suspended.runId());

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.answer()).hasValueSatisfying(a -> assertThat(a).contains("scripted model"));
    Lead lead = tools.crm().require("L-1004");
    assertThat(lead.bio()).startsWith("Head baker and co-owner of Fernhollow Bakery");
    assertThat(lead.updatedBy()).isEqualTo(AGENT);
    assertThat(lead.notes()).isEqualTo("Signed up after the webinar on tip pooling.");
    RunEvent.ToolCallCompleted update = completed(suspended.runId(), "update_lead_bio");
    assertThat(update.change().resource()).isEqualTo("crm:lead/L-1004");
    assertThat(update.change().before().path("bio").asText()).isEmpty();
    assertThat(update.change().inverse().toolName()).isEqualTo("update_lead_bio");

    Reverter.Report report =
        new Reverter(store, name -> Optional.of(agent), Clock.systemUTC())
            .revertRun(suspended.runId(), "alice");

    assertThat(report.complete()).as(report.toString()).isTrue();
    assertThat(report.reverted())
        .singleElement()
        .satisfies(r -> assertThat(r.toolName()).isEqualTo("update_lead_bio"));
    assertThat(tools.crm().require("L-1004").bio()).isEmpty();
    assertThat(tools.crm().writesOf("L-1004")).hasSize(2);
  }

  @Test
  void rejectedTheBioIsNotWrittenAndTheRunStillEnds() {
    Agent agent = agent(scripted());
    RunResult suspended = agent.run(RunId.random(), MARA_SIGNS_UP, "sales-ops");
    String approvalId = ((RunOutcome.Suspended) suspended.outcome()).approvalIds().getFirst();

    inbox(agent)
        .decide(approvalId, RunEvent.Decision.REJECT, null, "the profile is outdated", "alice");
    RunResult result = agent.resume(suspended.runId());

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(tools.crm().require("L-1004").bio()).isEmpty();
    assertThat(tools.crm().writesOf("L-1004")).isEmpty();
  }

  @Test
  void aModelThatFollowsAnInjectionToChangeAnEmailIsDeniedByTheWritableFieldsConstraint() {
    ScriptedChatModel fooled =
        ScriptedChatModel.builder()
            .thenCall("get_lead", Map.of("lead_id", "L-1011"))
            .thenCall("find_public_profile", Map.of("email", "felix.durand@ottervale-vets.example"))
            .thenCall(
                "update_lead",
                Map.of(
                    "lead_id",
                    "L-1011",
                    "changes",
                    Map.of("email", "felix.durand@harvest-inbox.example")))
            .thenAnswer("Updated the e-mail address as the profile asked.")
            .build();
    Agent agent = agent(fooled);

    RunResult result =
        agent.run(
            RunId.random(),
            "New lead L-1011 signed up: Felix Durand <felix.durand@ottervale-vets.example>,"
                + " Ottervale Veterinary",
            "sales-ops");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(decisions(result.runId()))
        .filteredOn(d -> d.toolName().equals("update_lead"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.DENY);
              assertThat(d.rule()).isEqualTo("constraint:writable-fields");
            });
    assertThat(events(result.runId()))
        .filteredOn(RunEvent.ToolCallRejected.class::isInstance)
        .map(RunEvent.ToolCallRejected.class::cast)
        .singleElement()
        .satisfies(
            rejected ->
                assertThat(rejected.observation())
                    .contains("only the fields [bio] may be changed", "[email]"));
    assertThat(tools.crm().require("L-1011").email())
        .isEqualTo("felix.durand@ottervale-vets.example");
    assertThat(tools.crm().writesOf("L-1011")).isEmpty();
    assertThat(inbox(agent).pendingFor(result.runId())).isEmpty();
  }

  @Test
  void aModelThatFollowsAnInjectionToTouchAnotherLeadIsHeldForProvenance() {
    ScriptedChatModel fooled =
        ScriptedChatModel.builder()
            .thenCall("get_lead", Map.of("lead_id", "L-1016"))
            .thenCall("find_public_profile", Map.of("email", "rosa.ilves@juniper-row.example"))
            .thenCall(
                "update_lead_bio",
                Map.of("lead_id", "L-1021", "bio", "Account closed - do not contact"))
            .thenAnswer("Done.")
            .build();
    Agent agent = agent(fooled);

    RunResult result =
        agent.run(
            RunId.random(),
            "New lead L-1016 signed up: Rosa Ilves <rosa.ilves@juniper-row.example>, Juniper Row"
                + " Architects",
            "sales-ops");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    ApprovalItem item = inbox(agent).pendingFor(result.runId()).getFirst();
    assertThat(item.reason())
        .startsWith("provenance: sensitive argument 'lead_id' of update_lead_bio")
        .contains("find_public_profile");
    assertThat(item.preview()).startsWith("Set the Bio of L-1021 (Arvid Sohlberg");
    assertThat(tools.crm().require("L-1021").bio()).isEmpty();
  }

  @Test
  void aCompetitorsSignUpIsRefusedAtTheInputAndTheirProfileCannotBeLookedUp() {
    String competitor =
        "New lead L-1013 signed up: Gavin Sterling <gavin@pipelinepeak.example>, PipelinePeak";

    assertThat(CompetitorDomains.bundled().screen(competitor))
        .hasValueSatisfying(
            refusal -> {
              assertThat(refusal.value()).isEqualTo("gavin@pipelinepeak.example");
              assertThat(refusal.reason()).startsWith("input refused: gavin@pipelinepeak.example");
            });
    assertThat(CompetitorDomains.bundled().screen(MARA_SIGNS_UP)).isEmpty();

    // Should the input check be skipped, policy still refuses the lookup.
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("find_public_profile", Map.of("email", "gavin@pipelinepeak.example"))
            .thenAnswer("No profile.")
            .build();
    RunResult result = agent(model).run(RunId.random(), competitor, "sales-ops");

    assertThat(decisions(result.runId()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.DENY);
              assertThat(d.rule()).isEqualTo("constraint:recipients");
            });
  }

  // ---- helpers ----

  private ScriptedChatModel scripted() {
    return ScriptedChatModel.of(workflow.name(), workflow.script());
  }

  private Agent agent(ChatModel model) {
    return Agent.builder()
        .name(workflow.name())
        .version(workflow.version())
        .instructions(workflow.instructions())
        .model(model)
        .tools(tools.tools())
        .limits(workflow.limits())
        .policy(WorkflowFile.policy())
        .journal(store)
        .build();
  }

  private Approvals inbox(Agent agent) {
    return new Approvals(store, name -> Optional.of(agent), Clock.systemUTC());
  }

  private List<RunEvent> events(RunId runId) {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }

  private List<RunEvent.PolicyDecided> decisions(RunId runId) {
    return events(runId).stream()
        .filter(RunEvent.PolicyDecided.class::isInstance)
        .map(RunEvent.PolicyDecided.class::cast)
        .toList();
  }

  private RunEvent.ToolCallCompleted completed(RunId runId, String tool) {
    return events(runId).stream()
        .filter(RunEvent.ToolCallCompleted.class::isInstance)
        .map(RunEvent.ToolCallCompleted.class::cast)
        .filter(c -> c.toolName().equals(tool))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no completed call of " + tool));
  }
}
