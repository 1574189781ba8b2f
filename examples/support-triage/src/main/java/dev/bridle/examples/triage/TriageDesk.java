package dev.bridle.examples.triage;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.ToolContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the triage tools leave what they propose: classifications, reply drafts and internal notes,
 * in memory, for a person (or a test) to review. It has no way to send anything.
 *
 * <p>Thread-safe. Each record is kept under the idempotency key of the tool call that made it, so a
 * call that is run again with the same key (after a crash, say) returns the record it made the
 * first time instead of making a second one.
 */
public final class TriageDesk {

  private final Object lock = new Object();
  private final Map<String, Classification> classifications = new LinkedHashMap<>();
  private final Map<String, ReplyDraft> drafts = new LinkedHashMap<>();
  private final Map<String, InternalNote> notes = new LinkedHashMap<>();

  /** Records a classification, or returns the one this call already recorded. */
  Classification classify(ToolContext call, Category category, Urgency urgency, String reason) {
    return keep(
        classifications,
        call,
        "classification-",
        id -> new Classification(id, call.runId(), category, urgency, reason));
  }

  /** Stores a draft, or returns the one this call already stored. */
  ReplyDraft draft(ToolContext call, String subject, String body) {
    return keep(drafts, call, "draft-", id -> new ReplyDraft(id, call.runId(), subject, body));
  }

  /** Stores an internal note, or returns the one this call already stored. */
  InternalNote note(ToolContext call, String text, List<String> relatedTickets) {
    return keep(
        notes, call, "note-", id -> new InternalNote(id, call.runId(), text, relatedTickets));
  }

  /** Every classification, oldest first. */
  public List<Classification> classifications() {
    synchronized (lock) {
      return List.copyOf(classifications.values());
    }
  }

  /** Every draft, oldest first. */
  public List<ReplyDraft> drafts() {
    synchronized (lock) {
      return List.copyOf(drafts.values());
    }
  }

  /** Every internal note, oldest first. */
  public List<InternalNote> notes() {
    synchronized (lock) {
      return List.copyOf(notes.values());
    }
  }

  /** The latest classification a run proposed. */
  public Optional<Classification> classificationOf(RunId runId) {
    List<Classification> ofRun =
        classifications().stream().filter(c -> c.runId().equals(runId)).toList();
    return ofRun.isEmpty() ? Optional.empty() : Optional.of(ofRun.getLast());
  }

  /** The drafts a run made, oldest first. */
  public List<ReplyDraft> draftsOf(RunId runId) {
    return drafts().stream().filter(d -> d.runId().equals(runId)).toList();
  }

  /** The notes a run left, oldest first. */
  public List<InternalNote> notesOf(RunId runId) {
    return notes().stream().filter(n -> n.runId().equals(runId)).toList();
  }

  private <T> T keep(
      Map<String, T> records, ToolContext call, String idPrefix, Function<String, T> create) {
    synchronized (lock) {
      return records.computeIfAbsent(
          call.idempotencyKey(), key -> create.apply(idPrefix + (records.size() + 1)));
    }
  }
}
