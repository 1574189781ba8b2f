package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.WorkflowServices;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.examples.triage.SupportTriageTools.DraftReceipt;
import dev.bridle.examples.triage.SupportTriageTools.NoteReceipt;
import dev.bridle.testkit.ToolInvocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SupportTriageTools#isolatedTools}: private data per evaluation case, seeded by fixtures.
 */
class IsolatedToolsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RunId RUN = RunId.of("run-isolation-test");
  private static final String TWO_TICKETS =
      """
      {"tickets": [
        {"id": "T-2001", "subject": "Timer widget frozen", "body": "The timer widget on the \
      dashboard stays at 00:00 after I press start.", "category": "bug", "urgency": "normal",
         "resolution": "A browser extension blocked the timer script; whitelisting it fixed it."},
        {"id": "T-2002", "subject": "Invoice in the wrong currency", "body": "Invoices for our \
      Swiss client come out in euros instead of francs.", "category": "billing",
         "urgency": "normal", "resolution": "The client's currency was unset; set it to CHF."}
      ]}""";

  private final SupportTriageTools provider = new SupportTriageTools();

  @TempDir Path work;

  @Test
  void anEmptyObjectIsTheBundledArchiveAndAFreshDesk() throws Exception {
    ToolInvocations tools = isolated("{}", "case-a");

    assertThat(tools.call("get_ticket", "{\"ticket_id\": \"T-1024\"}"))
        .isEqualTo(TicketArchive.bundled().require("T-1024"));
    assertThat(matches(tools.call("search_similar_tickets", charged()))).startsWith("T-1001");
    assertThat(draftId(tools)).isEqualTo("draft-1");
  }

  @Test
  void isolatedSetsOfferTheSameToolsAsTheProvider() {
    List<Tool<?>> isolated = provider.isolatedTools(JSON.createObjectNode(), work);

    assertThat(isolated).extracting(Tool::name).isEqualTo(SupportTriageTools.TOOL_NAMES);
    assertThat(provider.tools()).extracting(Tool::name).isEqualTo(SupportTriageTools.TOOL_NAMES);
    assertThat(isolated)
        .extracting(Tool::effect)
        .isEqualTo(provider.tools().stream().map(Tool::effect).toList());
  }

  @Test
  void whatOneIsolatedSetProposesIsSeenNeitherByAnotherNorByTheProvidersDesk() throws Exception {
    ToolInvocations first = isolated("{}", "case-a");
    ToolInvocations second = isolated("{}", "case-b");

    assertThat(draftId(first)).isEqualTo("draft-1");
    assertThat(draftId(first)).isEqualTo("draft-2");
    first.call("classify_ticket", classification());
    NoteReceipt note =
        (NoteReceipt)
            first.call(
                "create_internal_note",
                "{\"text\": \"Compare with T-1001.\", \"related_tickets\": [\"T-1001\"]}");

    assertThat(note.noteId()).isEqualTo("note-1");
    assertThat(draftId(second)).as("the second set has its own desk").isEqualTo("draft-1");
    assertThat(provider.desk().drafts()).isEmpty();
    assertThat(provider.desk().classifications()).isEmpty();
    assertThat(provider.desk().notes()).isEmpty();
    assertThat(work.resolve("case-a")).isEmptyDirectory();
    assertThat(work.resolve("case-b")).isEmptyDirectory();
  }

  @Test
  void ticketsReplaceTheArchiveAndOnlyThoseIdsExist() throws Exception {
    ToolInvocations tools = isolated(TWO_TICKETS, "case-a");
    ToolInvocations bundled = new ToolInvocations(provider.tools(), RUN, "agent:test@1");

    PastTicket seeded = (PastTicket) tools.call("get_ticket", "{\"ticket_id\": \"T-2001\"}");
    assertThat(seeded.subject()).isEqualTo("Timer widget frozen");
    assertThat(seeded.category()).isEqualTo(Category.bug);
    assertThat(
            matches(
                tools.call(
                    "search_similar_tickets",
                    "{\"query\": \"invoice currency for a Swiss client\", \"limit\": 3}")))
        .containsExactly("T-2002");
    assertThatThrownBy(() -> tools.call("get_ticket", "{\"ticket_id\": \"T-1001\"}"))
        .isInstanceOf(UnknownTicketException.class)
        .hasMessage("no ticket T-1001; ids are T-2001..T-2002");
    assertThatThrownBy(
            () ->
                tools.call(
                    "create_internal_note",
                    "{\"text\": \"Compare with T-1001.\", \"related_tickets\": [\"T-1001\"]}"))
        .isInstanceOf(UnknownTicketException.class);
    assertThatThrownBy(() -> bundled.call("get_ticket", "{\"ticket_id\": \"T-2001\"}"))
        .as("the provider's own archive does not see fixture tickets")
        .isInstanceOf(UnknownTicketException.class);
  }

  @Test
  void extraTicketsAreAddedToTheBundledArchive() throws Exception {
    ToolInvocations tools =
        isolated(
            """
            {"extra-tickets": [{"id": "T-1025", "subject": "Kiosk mode for shared tablets",
              "body": "Our warehouse shares one tablet; can the app lock to the timer screen?",
              "category": "feature_request", "urgency": "low",
              "resolution": "Logged as a feature request; suggested the browser's kiosk mode."}]}""",
            "case-a");

    assertThat(tools.call("get_ticket", "{\"ticket_id\": \"T-1025\"}"))
        .extracting(ticket -> ((PastTicket) ticket).subject())
        .isEqualTo("Kiosk mode for shared tablets");
    assertThat(tools.call("get_ticket", "{\"ticket_id\": \"T-1001\"}")).isNotNull();
    assertThat(
            matches(
                tools.call(
                    "search_similar_tickets",
                    "{\"query\": \"kiosk mode on a shared warehouse tablet\", \"limit\": 1}")))
        .containsExactly("T-1025");
  }

  @Test
  void unavailableToolsFailLikeAnOutageAndTheOthersStillWork() throws Exception {
    ToolInvocations tools =
        isolated("{\"unavailable-tools\": [\"search_similar_tickets\", \"draft_reply\"]}", "c");

    assertThatThrownBy(() -> tools.call("search_similar_tickets", charged()))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessage(
            "the support ticket service did not answer search_similar_tickets; try again later");
    assertThatThrownBy(() -> draftId(tools)).isInstanceOf(ServiceUnavailableException.class);
    assertThat(tools.call("get_ticket", "{\"ticket_id\": \"T-1001\"}")).isNotNull();
    assertThat(provider.tools())
        .as("the provider's own tools are not affected")
        .extracting(Tool::name)
        .contains("search_similar_tickets", "draft_reply");
    assertThat(
            matches(
                new ToolInvocations(provider.tools(), RUN, "agent:test@1")
                    .call("search_similar_tickets", charged())))
        .isNotEmpty();
  }

  static Stream<List<String>> badFixtures() {
    return Stream.of(
        List.of("[]", "fixtures: must be a JSON object, but was a list"),
        List.of(
            "{\"ticket\": []}",
            "fixtures: unknown key 'ticket'; known keys: extra-tickets, tickets, unavailable-tools"),
        List.of("{\"tickets\": {}}", "fixtures.tickets: must be a list of tickets, but was an"),
        List.of("{\"tickets\": []}", "fixtures.tickets: must hold at least one ticket"),
        List.of("{\"tickets\": [\"T-2001\"]}", "fixtures.tickets[0]: must be a ticket object"),
        List.of(
            ticket("\"id\": \"T-2001\", \"subject\": \"s\""),
            "fixtures.tickets[0].body: is required"),
        List.of(
            ticket(full("T-21", "bug", "low")),
            "fixtures.tickets[0].id: must be T- and four digits (e.g. T-2001), but was 'T-21'"),
        List.of(
            ticket(full("T-2001", "bug", "critical")),
            "fixtures.tickets[0].urgency: must be one of low, normal, high, urgent, but was"
                + " 'critical'"),
        List.of(
            ticket(full("T-2001", "bugs", "low")),
            "fixtures.tickets[0].category: must be one of billing, bug, account, feature_request,"
                + " outage, how_to, but was 'bugs'"),
        List.of(
            ticket(full("T-2001", "bug", "low").replace("\"body\": \"b\"", "\"body\": 7")),
            "fixtures.tickets[0].body: must be a non-blank string, but was the number 7"),
        List.of(
            ticket(full("T-2001", "bug", "low") + ", \"status\": \"open\""),
            "fixtures.tickets[0]: unknown key 'status'; known keys: body, category, id,"
                + " resolution, subject, urgency"),
        List.of(
            "{\"tickets\": [{"
                + full("T-2001", "bug", "low")
                + "}, {"
                + full("T-2001", "bug", "low")
                + "}]}",
            "fixtures: ticket id T-2001 appears twice"),
        List.of(
            "{\"extra-tickets\": [{" + full("T-1003", "bug", "low") + "}]}",
            "fixtures: ticket id T-1003 appears twice (the bundled archive holds"
                + " T-1001..T-1024)"),
        List.of(
            "{\"unavailable-tools\": [\"send_reply\"]}",
            "fixtures.unavailable-tools[0]: must name a support-triage tool (classify_ticket,"
                + " create_internal_note, draft_reply, get_ticket, search_similar_tickets), but"
                + " was the string 'send_reply'"),
        List.of(
            "{\"unavailable-tools\": \"draft_reply\"}",
            "fixtures.unavailable-tools: must be a list of tool names, but was the string"
                + " 'draft_reply'"));
  }

  @ParameterizedTest
  @MethodSource("badFixtures")
  void badFixturesAreRejectedWithAMessageThatNamesTheField(List<String> fixtureAndMessage) {
    assertThatThrownBy(() -> provider.isolatedTools(json(fixtureAndMessage.get(0)), work))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(fixtureAndMessage.get(1));
  }

  @Test
  void aWorkflowLoadedWithTheIsolatedSupplyRunsOnTheFixtureArchive() throws Exception {
    WorkflowDefinition workflow = Workflows.load(Path.of("workflow.yaml"));
    JsonNode fixtures = json(TWO_TICKETS);
    Path directory = Files.createDirectory(work.resolve("case-a"));
    WorkflowServices services =
        WorkflowServices.none()
            .withToolSupply(supplier -> supplier.isolatedTools(fixtures, directory));
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("get_ticket", Map.of("ticket_id", "T-2002"))
            .thenCall("get_ticket", Map.of("ticket_id", "T-1001"))
            .thenAnswer("T-2002 is about an invoice currency.")
            .build();

    RunResult result =
        Workflows.agent(workflow, model, getClass().getClassLoader(), services)
            .build()
            .run("Invoices show euros instead of francs.");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::status)
        .containsExactly("succeeded", "failed");
  }

  private ToolInvocations isolated(String fixtures, String caseName) throws Exception {
    Path directory = Files.createDirectory(work.resolve(caseName));
    return new ToolInvocations(
        provider.isolatedTools(json(fixtures), directory), RUN, "agent:test@1");
  }

  private static String draftId(ToolInvocations tools) throws Exception {
    DraftReceipt receipt =
        (DraftReceipt)
            tools.call(
                "draft_reply",
                "{\"subject\": \"Re: your charge\", \"body\": \"We are looking into the charge.\"}");
    return receipt.draftId();
  }

  private static String charged() {
    return "{\"query\": \"Our card was charged twice for the annual plan\", \"limit\": 3}";
  }

  private static String classification() {
    return "{\"category\": \"billing\", \"urgency\": \"high\", \"reason\": \"A duplicate charge.\"}";
  }

  @SuppressWarnings("unchecked")
  private static List<String> matches(Object result) {
    return ((List<TicketMatch>) result).stream().map(TicketMatch::id).toList();
  }

  private static String ticket(String fields) {
    return "{\"tickets\": [{" + fields + "}]}";
  }

  private static String full(String id, String category, String urgency) {
    return "\"id\": \""
        + id
        + "\", \"subject\": \"s\", \"body\": \"b\", \"category\": \""
        + category
        + "\", \"urgency\": \""
        + urgency
        + "\", \"resolution\": \"r\"";
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
