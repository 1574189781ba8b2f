package dev.bridle.examples.triage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolProvider;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code support-triage} tools: two that read the {@link TicketArchive} and three that propose
 * (a classification, a reply draft, an internal note) by leaving a record on the {@link
 * TriageDesk}. None sends anything; the strongest effect is {@link Effect#PROPOSE}.
 *
 * <p>Found by {@link java.util.ServiceLoader} through the no-argument constructor, which uses the
 * bundled archive and a fresh desk. The proposing tools are idempotent: a call run again with the
 * same idempotency key returns what it proposed the first time.
 *
 * <p>For an evaluation case, {@link #isolatedTools(JsonNode, Path)} gives tools over a new archive
 * and a new desk, seeded from the case's fixtures, a JSON object:
 *
 * <pre>{@code
 * tickets:          # optional: the archive holds exactly these (at least one); default: the bundled 24
 *   - {id: T-2001, subject: ..., body: ..., category: billing, urgency: high, resolution: ...}
 * extra-tickets:    # optional: added to the archive (the bundled one, or `tickets`); ids must differ
 *   - {id: T-1025, subject: ..., body: ..., category: bug, urgency: low, resolution: ...}
 * unavailable-tools: [search_similar_tickets]   # optional: these tools fail, as in an outage
 * }</pre>
 *
 * Every ticket field is a required non-blank string; {@code category} is one of {@link Category},
 * {@code urgency} one of {@link Urgency}. An empty object is the bundled archive with every tool
 * available.
 */
public final class SupportTriageTools implements ToolProvider {

  /** The name a workflow file lists under {@code tools:}. */
  public static final String NAME = "support-triage";

  /** The names of the tools, in the order {@link #tools()} lists them. */
  static final List<String> TOOL_NAMES =
      List.of(
          "search_similar_tickets",
          "get_ticket",
          "classify_ticket",
          "draft_reply",
          "create_internal_note");

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String NOT_SENT = "draft — not sent; a human reviews and sends it";
  private static final String NOTE_SAVED = "internal note saved; visible to support staff only";

  private final TicketArchive archive;
  private final TriageDesk desk;

  /**
   * The bundled archive and an empty desk; the constructor {@link java.util.ServiceLoader} uses.
   */
  public SupportTriageTools() {
    this(TicketArchive.bundled(), new TriageDesk());
  }

  public SupportTriageTools(TicketArchive archive, TriageDesk desk) {
    this.archive = Objects.requireNonNull(archive, "archive");
    this.desk = Objects.requireNonNull(desk, "desk");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The five tools, bound to this instance's archive and desk. */
  @Override
  public List<Tool<?>> tools() {
    return List.of(
        searchSimilarTickets(), getTicket(), classifyTicket(), draftReply(), createInternalNote());
  }

  /**
   * Tools over private data for one evaluation case: a new {@link TicketArchive} seeded from {@code
   * fixtures} (shape in the class documentation) and a new, empty {@link TriageDesk}. The triage
   * data lives in memory, so nothing is written to {@code workDirectory}; nothing these tools
   * propose reaches this instance's desk or another case's.
   *
   * @throws IllegalArgumentException when {@code fixtures} does not fit the shape; the message
   *     names the field, e.g. {@code fixtures.tickets[0].urgency}
   */
  @Override
  public List<Tool<?>> isolatedTools(JsonNode fixtures, Path workDirectory) {
    Objects.requireNonNull(workDirectory, "workDirectory");
    TriageFixtures data = TriageFixtures.parse(fixtures, Set.copyOf(TOOL_NAMES));
    SupportTriageTools isolated =
        new SupportTriageTools(TicketArchive.of(data.tickets()), new TriageDesk());
    return isolated.tools().stream()
        .<Tool<?>>map(
            tool -> data.unavailableTools().contains(tool.name()) ? unavailable(tool) : tool)
        .toList();
  }

  public TicketArchive archive() {
    return archive;
  }

  /** What the tools proposed so far. */
  public TriageDesk desk() {
    return desk;
  }

  // ---- arguments ----

  /** Arguments of {@code search_similar_tickets}. */
  public record SearchSimilarTickets(
      @JsonPropertyDescription(
              "Text describing the problem, e.g. the subject and body of the incoming ticket")
          @NotBlank
          @Size(min = 3, max = 2000)
          String query,
      @JsonPropertyDescription("How many past tickets to return, most similar first")
          @Min(1)
          @Max(5)
          int limit) {}

  /** Arguments of {@code get_ticket}. */
  public record GetTicket(
      @JsonProperty("ticket_id")
          @JsonPropertyDescription("The id of a past ticket, e.g. T-1001")
          @Pattern(regexp = "^T-\\d{4}$")
          String ticketId) {}

  /** Arguments of {@code classify_ticket}. */
  public record ClassifyTicket(
      @JsonPropertyDescription("What the incoming ticket is about") Category category,
      @JsonPropertyDescription(
              "How soon it needs an answer: urgent when customers cannot work at all, high when"
                  + " money or access is at stake")
          Urgency urgency,
      @JsonPropertyDescription("Why this category and urgency, in one or two sentences")
          @Size(min = 10, max = 500)
          String reason) {}

  /** Arguments of {@code draft_reply}. */
  public record DraftReply(
      @JsonPropertyDescription("Subject line of the reply") @Size(min = 1, max = 200)
          String subject,
      @JsonPropertyDescription("The reply to the customer, in plain text")
          @Size(min = 20, max = 5000)
          String body) {}

  /** Arguments of {@code create_internal_note}. */
  public record CreateInternalNote(
      @JsonPropertyDescription("The note for support staff; the customer never sees it")
          @Size(min = 10, max = 5000)
          String text,
      @JsonProperty("related_tickets")
          @JsonPropertyDescription("Ids of past tickets the note refers to, e.g. [\"T-1001\"]")
          @Size(max = 10)
          Optional<List<@Pattern(regexp = "^T-\\d{4}$") String>> relatedTickets) {

    public CreateInternalNote {
      relatedTickets = relatedTickets == null ? Optional.empty() : relatedTickets;
    }
  }

  // ---- results ----

  /** What {@code draft_reply} answers. */
  public record DraftReceipt(
      @JsonProperty("draft_id") String draftId, @JsonProperty("status") String status) {}

  /** What {@code create_internal_note} answers. */
  public record NoteReceipt(
      @JsonProperty("note_id") String noteId,
      @JsonProperty("related_tickets") List<String> relatedTickets,
      @JsonProperty("status") String status) {}

  // ---- tools ----

  private Tool<SearchSimilarTickets> searchSimilarTickets() {
    return Tool.builder("search_similar_tickets", SearchSimilarTickets.class)
        .description(
            "Find resolved past support tickets similar to a text, by the words they share."
                + " Returns id, subject, category, urgency, resolution and a score from 0 to 1"
                + " for each; an empty list when no past ticket shares a word with the text.")
        .effect(Effect.READ)
        .idempotent(true)
        .timeout(TIMEOUT)
        .handler((args, call) -> archive.mostSimilar(args.query(), args.limit()))
        .build();
  }

  private Tool<GetTicket> getTicket() {
    return Tool.builder("get_ticket", GetTicket.class)
        .description(
            "Read one past support ticket in full: subject, body, category and resolution.")
        .effect(Effect.READ)
        .idempotent(true)
        .timeout(TIMEOUT)
        .handler((args, call) -> archive.require(args.ticketId()))
        .build();
  }

  private Tool<ClassifyTicket> classifyTicket() {
    return Tool.builder("classify_ticket", ClassifyTicket.class)
        .description(
            "Record the category and urgency of the incoming ticket, with the reason. Proposes"
                + " only: a person confirms it. Returns the classification with its id.")
        .effect(Effect.PROPOSE)
        .idempotent(true)
        .timeout(TIMEOUT)
        .handler(
            (args, call) -> desk.classify(call, args.category(), args.urgency(), args.reason()))
        .build();
  }

  private Tool<DraftReply> draftReply() {
    return Tool.builder("draft_reply", DraftReply.class)
        .description(
            "Save a draft reply to the customer. The draft is never sent: a person reviews,"
                + " edits and sends it. Returns the draft id.")
        .effect(Effect.PROPOSE)
        .idempotent(true)
        .timeout(TIMEOUT)
        .handler(
            (args, call) ->
                new DraftReceipt(desk.draft(call, args.subject(), args.body()).id(), NOT_SENT))
        .build();
  }

  private Tool<CreateInternalNote> createInternalNote() {
    return Tool.builder("create_internal_note", CreateInternalNote.class)
        .description(
            "Leave an internal note for support staff about the incoming ticket, optionally"
                + " naming related past tickets by id (each must exist). Returns the note id.")
        .effect(Effect.PROPOSE)
        .idempotent(true)
        .timeout(TIMEOUT)
        .handler(this::createNote)
        .build();
  }

  /** The same tool, failing on every call as a tool whose service is down does. */
  private static <A> Tool<A> unavailable(Tool<A> tool) {
    return tool.withHandler(
        (args, call) -> {
          throw new ServiceUnavailableException(tool.name());
        });
  }

  private NoteReceipt createNote(CreateInternalNote args, ToolContext call) {
    List<String> related =
        List.copyOf(new LinkedHashSet<>(args.relatedTickets().orElse(List.of())));
    related.forEach(archive::require);
    InternalNote note = desk.note(call, args.text(), related);
    return new NoteReceipt(note.id(), note.relatedTickets(), NOTE_SAVED);
  }
}
