package dev.bridle.examples.triage;

import static dev.bridle.core.model.ScriptedChatModel.Builder.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProviders;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End to end: {@link Agent} + the scripted model of {@code workflow.yaml} + the real tools. */
class SupportTriageWorkflowTest {

  private static final String DUPLICATE_CHARGE_TICKET =
      """
      Subject: Charged twice this month
      Hello, our card was charged twice for the Team plan and the billing page shows two \
      invoices for the same period. Please refund the duplicate charge.""";

  private WorkflowDefinition workflow;
  private SupportTriageTools tools;

  @BeforeEach
  void loadTheWorkflowAndItsTools() {
    workflow = Workflows.load(Path.of("workflow.yaml"));
    tools =
        (SupportTriageTools)
            ToolProviders.find(workflow.tools().getFirst().provider(), getClass().getClassLoader());
  }

  @Test
  void theWorkflowFileNamesThisProviderAndCapsEffectsAtPropose() {
    assertThat(workflow.name()).isEqualTo("support-triage");
    assertThat(workflow.tools())
        .extracting(WorkflowDefinition.ToolSource::provider)
        .containsExactly(SupportTriageTools.NAME);
    assertThat(workflow.effectCap()).isEqualTo(Effect.PROPOSE);
    assertThat(workflow.limits().maxSteps()).isEqualTo(10);
    assertThat(tools.tools())
        .allSatisfy(tool -> assertThat(tool.effect()).isIn(Effect.READ, Effect.PROPOSE));
    assertThat(workflow.instructions().lines().count()).isBetween(8L, 15L);
  }

  @Test
  void theScriptOnlyNamesToolsAndTicketsThatExist() {
    List<String> toolNames = tools.tools().stream().map(Tool::name).toList();
    List<ScriptTurn.Call> calls =
        workflow.script().stream()
            .flatMap(
                turn -> turn instanceof ScriptTurn.Calls c ? c.calls().stream() : Stream.empty())
            .toList();

    assertThat(calls).extracting(ScriptTurn.Call::tool).allMatch(toolNames::contains);
    Matcher ids = Pattern.compile("T-\\d{4}").matcher(workflow.script().toString());
    int found = 0;
    while (ids.find()) {
      assertThat(tools.archive().find(ids.group())).as(ids.group()).isPresent();
      found++;
    }
    assertThat(found).isPositive();
  }

  @Test
  void theScriptedRunCompletesWithFiveSucceededCallsADraftAndANoteAndSendsNothing() {
    Agent agent = agent(ScriptedChatModel.of(workflow.name(), workflow.script()));

    RunResult result = agent.run(DUPLICATE_CHARGE_TICKET);

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.answer()).hasValueSatisfying(a -> assertThat(a).contains("scripted model"));
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::name)
        .containsExactly(
            "classify_ticket",
            "search_similar_tickets",
            "get_ticket",
            "draft_reply",
            "create_internal_note");
    assertThat(result.toolCalls()).extracting(ToolCallSummary::status).containsOnly("succeeded");

    assertThat(tools.desk().classificationOf(result.runId()))
        .hasValueSatisfying(c -> assertThat(c.category()).isEqualTo(Category.billing));
    assertThat(tools.desk().draftsOf(result.runId())).hasSize(1);
    assertThat(tools.desk().notesOf(result.runId()))
        .singleElement()
        .satisfies(
            note ->
                assertThat(note.relatedTickets()).containsExactly("T-1001", "T-1013", "T-1007"));

    List<RunEvent> events = events(agent, result);
    assertThat(events)
        .filteredOn(RunEvent.ToolCallStarted.class::isInstance)
        .map(RunEvent.ToolCallStarted.class::cast)
        .extracting(RunEvent.ToolCallStarted::effect)
        .allMatch(effect -> effect == Effect.READ || effect == Effect.PROPOSE);
    assertThat(observation(events, "search_similar_tickets"))
        .startsWith("[{\"id\":\"T-1001\"")
        .contains("\"resolution\"", "\"score\"");
    assertThat(tools.archive().mostSimilar("Ticket: " + DUPLICATE_CHARGE_TICKET, 3))
        .extracting(TicketMatch::id)
        .as("the scripted note names the tickets the search finds for this ticket")
        .containsExactly("T-1001", "T-1013", "T-1007");
    assertThat(observation(events, "draft_reply"))
        .contains("\"draft_id\"", "not sent; a human reviews and sends it");
    assertThat(observation(events, "create_internal_note")).contains("\"note_id\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hi",
        "?",
        "Die App stürzt ab, wenn ich den Timer starte. 😞",
        "Our dashboard shows error 503 and nobody can work."
      })
  void theScriptedRunSucceedsForAnyTicketText(String ticket) {
    RunResult result = agent(ScriptedChatModel.of(workflow.name(), workflow.script())).run(ticket);

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.toolCalls()).extracting(ToolCallSummary::status).containsOnly("succeeded");
  }

  @Test
  void anInvalidUrgencyIsAnErrorObservationAndTheCorrectedCallSucceeds() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall(
                "classify_ticket",
                Map.of(
                    "category", "outage",
                    "urgency", "critical",
                    "reason", "The whole team sees error 503 on the dashboard."))
            .thenCall(
                "classify_ticket",
                Map.of(
                    "category", "outage",
                    "urgency", "urgent",
                    "reason", "The whole team sees error 503 on the dashboard."))
            .thenCall("search_similar_tickets", Map.of("query", "{{task}}", "limit", 3))
            .thenCalls(
                call(
                    "draft_reply",
                    Map.of(
                        "subject", "Re: error 503",
                        "body", "We are aware of the problem and are working on it.")),
                call(
                    "create_internal_note",
                    Map.of(
                        "text",
                        "Likely the same as INC-77.",
                        "related_tickets",
                        List.of("T-1005"))))
            .thenAnswer("Classified as outage / urgent after correcting the urgency.")
            .build();

    Agent agent = agent(model);
    RunResult result = agent.run("Dashboard shows error 503 for everyone since 9am.");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::status)
        .containsExactly("invalid_arguments", "succeeded", "succeeded", "succeeded", "succeeded");
    assertThat(events(agent, result))
        .filteredOn(RunEvent.ToolCallRejected.class::isInstance)
        .map(RunEvent.ToolCallRejected.class::cast)
        .singleElement()
        .satisfies(
            rejected ->
                assertThat(rejected.observation()).contains("classify_ticket", "urgency", "enum"));
    assertThat(tools.desk().classifications())
        .singleElement()
        .satisfies(c -> assertThat(c.urgency()).isEqualTo(Urgency.urgent));
    assertThat(tools.desk().drafts()).hasSize(1);
    assertThat(tools.desk().notes()).hasSize(1);
  }

  @Test
  void anUnknownTicketIdIsAFailedCallWhoseObservationNamesTheKnownIds() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("get_ticket", Map.of("ticket_id", "T-9999"))
            .thenCall("get_ticket", Map.of("ticket_id", "T-1024"))
            .thenAnswer("T-1024 explains the spreadsheet import.")
            .build();

    Agent agent = agent(model);
    RunResult result = agent.run("How do I import my old spreadsheet?");

    assertThat(result.completed()).isTrue();
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::status)
        .containsExactly("failed", "succeeded");
    assertThat(observation(events(agent, result), "get_ticket"))
        .contains("no ticket T-9999; ids are T-1001..T-1024");
  }

  private Agent agent(ChatModel model) {
    return Agent.builder()
        .name(workflow.name())
        .version(workflow.version())
        .instructions(workflow.instructions())
        .model(model)
        .tools(tools.tools())
        .limits(workflow.limits())
        .build();
  }

  private static List<RunEvent> events(Agent agent, RunResult result) {
    return agent.journal().read(result.runId()).stream().map(JournalEntry::event).toList();
  }

  /** The observation of the first completed call of {@code tool}. */
  private static String observation(List<RunEvent> events, String tool) {
    return events.stream()
        .filter(RunEvent.ToolCallCompleted.class::isInstance)
        .map(RunEvent.ToolCallCompleted.class::cast)
        .filter(completed -> completed.toolName().equals(tool))
        .findFirst()
        .map(RunEvent.ToolCallCompleted::observation)
        .orElseThrow(() -> new AssertionError("no completed call of " + tool));
  }
}
