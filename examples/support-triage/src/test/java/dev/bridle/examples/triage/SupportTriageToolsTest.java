package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.examples.triage.SupportTriageTools.DraftReceipt;
import dev.bridle.examples.triage.SupportTriageTools.NoteReceipt;
import dev.bridle.testkit.ToolInvocations;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportTriageToolsTest {

  private static final RunId RUN = RunId.of("run-tools-test");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SupportTriageTools provider = new SupportTriageTools();
  private final ToolInvocations tools = new ToolInvocations(provider.tools(), RUN, "agent:test@1");

  @Test
  void offersFiveToolsThatReadOrProposeButNeverSend() {
    assertThat(provider.name()).isEqualTo("support-triage");
    assertThat(provider.tools())
        .extracting(Tool::name)
        .containsExactly(
            "search_similar_tickets",
            "get_ticket",
            "classify_ticket",
            "draft_reply",
            "create_internal_note");
    assertThat(provider.tools())
        .extracting(Tool::effect)
        .containsExactly(Effect.READ, Effect.READ, Effect.PROPOSE, Effect.PROPOSE, Effect.PROPOSE);
    assertThat(provider.tools()).allSatisfy(tool -> assertThat(tool.idempotent()).isTrue());
  }

  @Test
  void searchReturnsTheTopMatchesWithTheirResolution() throws Exception {
    Object result =
        tools.call(
            "search_similar_tickets",
            """
            {"query": "Our card was charged twice for the annual plan", "limit": 3}""");

    List<TicketMatch> matches = asMatches(result);
    assertThat(matches).hasSize(3);
    TicketMatch best = matches.getFirst();
    assertThat(best.id()).isEqualTo("T-1001");
    assertThat(best.subject()).isEqualTo("Charged twice for the annual plan");
    assertThat(best.category()).isEqualTo(Category.billing);
    assertThat(best.urgency()).isEqualTo(Urgency.high);
    assertThat(best.resolution()).contains("duplicate charge");
    assertThat(JSON.valueToTree(best).fieldNames())
        .toIterable()
        .containsExactly("id", "subject", "category", "urgency", "resolution", "score");
  }

  @Test
  void searchRejectsALimitOutsideOneToFiveAndAShortQuery() {
    assertThat(tools.rejection("search_similar_tickets", "{\"query\": \"invoice\", \"limit\": 6}"))
        .contains("limit")
        .contains("maximum");
    assertThat(tools.rejection("search_similar_tickets", "{\"query\": \"invoice\", \"limit\": 0}"))
        .contains("limit");
    assertThat(tools.rejection("search_similar_tickets", "{\"query\": \"hi\", \"limit\": 3}"))
        .contains("query");
    assertThat(tools.rejection("search_similar_tickets", "{\"query\": \"invoice\"}"))
        .contains("limit");
  }

  @Test
  void getTicketReturnsTheWholeTicket() throws Exception {
    Object result = tools.call("get_ticket", "{\"ticket_id\": \"T-1016\"}");

    assertThat(result).isInstanceOf(PastTicket.class);
    PastTicket ticket = (PastTicket) result;
    assertThat(ticket.category()).isEqualTo(Category.outage);
    assertThat(ticket.body()).contains("invoice emails");
  }

  @Test
  void getTicketOfAnUnknownIdFailsWithAMessageNamingTheKnownIds() {
    assertThatThrownBy(() -> tools.call("get_ticket", "{\"ticket_id\": \"T-9999\"}"))
        .isInstanceOf(UnknownTicketException.class)
        .hasMessage("no ticket T-9999; ids are T-1001..T-1024");
  }

  @Test
  void getTicketRejectsAnIdOfTheWrongShape() {
    assertThat(tools.rejection("get_ticket", "{\"ticket_id\": \"1001\"}"))
        .contains("ticket_id")
        .contains("pattern");
  }

  @Test
  void classifyRecordsTheClassificationForTheRun() throws Exception {
    Object result =
        tools.call(
            "classify_ticket",
            """
            {"category": "outage", "urgency": "urgent",
             "reason": "Nobody on the team can log in since this morning."}""");

    assertThat(result).isInstanceOf(Classification.class);
    Classification classification = (Classification) result;
    assertThat(classification.id()).isEqualTo("classification-1");
    assertThat(classification.category()).isEqualTo(Category.outage);
    assertThat(classification.urgency()).isEqualTo(Urgency.urgent);
    assertThat(provider.desk().classificationOf(RUN)).contains(classification);
    assertThat(JSON.valueToTree(classification).get("run_id").asText()).isEqualTo(RUN.value());
  }

  @Test
  void classifyRejectsAnUrgencyOutsideTheEnumAndAShortReason() {
    assertThat(
            tools.rejection(
                "classify_ticket",
                """
                {"category": "billing", "urgency": "critical",
                 "reason": "The customer was charged twice."}"""))
        .contains("urgency")
        .contains("enum");
    assertThat(
            tools.rejection(
                "classify_ticket",
                "{\"category\": \"billing\", \"urgency\": \"high\", \"reason\": \"money\"}"))
        .contains("reason");
    assertThat(provider.desk().classifications()).isEmpty();
  }

  @Test
  void draftReplyStoresADraftAndSaysItWasNotSent() throws Exception {
    Object result =
        tools.call(
            "draft_reply",
            """
            {"subject": "Re: charged twice",
             "body": "Thank you for reaching out; we are checking both charges."}""");

    assertThat(result).isInstanceOf(DraftReceipt.class);
    JsonNode json = JSON.valueToTree(result);
    assertThat(json.get("draft_id").asText()).isEqualTo("draft-1");
    assertThat(json.get("status").asText())
        .isEqualTo("draft — not sent; a human reviews and sends it");
    assertThat(provider.desk().draftsOf(RUN))
        .singleElement()
        .satisfies(draft -> assertThat(draft.subject()).isEqualTo("Re: charged twice"));
  }

  @Test
  void draftReplyRejectsABodyTooShortToBeAReply() {
    assertThat(tools.rejection("draft_reply", "{\"subject\": \"Hi\", \"body\": \"ok\"}"))
        .contains("body");
  }

  @Test
  void createInternalNoteStoresTheNoteWithDistinctRelatedTickets() throws Exception {
    Object result =
        tools.call(
            "create_internal_note",
            """
            {"text": "Same pattern as the duplicate charge in T-1001.",
             "related_tickets": ["T-1001", "T-1013", "T-1001"]}""");

    assertThat(result).isInstanceOf(NoteReceipt.class);
    NoteReceipt receipt = (NoteReceipt) result;
    assertThat(receipt.noteId()).isEqualTo("note-1");
    assertThat(receipt.relatedTickets()).containsExactly("T-1001", "T-1013");
    assertThat(JSON.valueToTree(receipt).has("related_tickets")).isTrue();
    assertThat(provider.desk().notesOf(RUN))
        .singleElement()
        .satisfies(note -> assertThat(note.relatedTickets()).containsExactly("T-1001", "T-1013"));
  }

  @Test
  void createInternalNoteWithoutRelatedTickets() throws Exception {
    Object result = tools.call("create_internal_note", "{\"text\": \"Nothing similar found.\"}");

    assertThat(((NoteReceipt) result).relatedTickets()).isEmpty();
  }

  @Test
  void createInternalNoteRefusesAnInventedTicketIdAndStoresNothing() {
    assertThatThrownBy(
            () ->
                tools.call(
                    "create_internal_note",
                    "{\"text\": \"See the similar ticket.\", \"related_tickets\": [\"T-4242\"]}"))
        .isInstanceOf(UnknownTicketException.class)
        .hasMessage("no ticket T-4242; ids are T-1001..T-1024");
    assertThat(provider.desk().notes()).isEmpty();
  }

  @Test
  void aProposingCallRunAgainWithTheSameIdempotencyKeyProposesOnce() throws Exception {
    String arguments = "{\"subject\": \"Re: invoice\", \"body\": \"We are looking into it now.\"}";
    Object first = tools.callAs("call_7", "draft_reply", arguments);
    Object again = tools.callAs("call_7", "draft_reply", arguments);

    assertThat(again).isEqualTo(first);
    assertThat(provider.desk().drafts()).hasSize(1);
  }

  private static List<TicketMatch> asMatches(Object result) {
    assertThat(result).isInstanceOf(List.class);
    return ((List<?>) result).stream().map(TicketMatch.class::cast).toList();
  }
}
