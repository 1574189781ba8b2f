package dev.bridle.examples.triage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.journal.RunId;
import java.util.List;
import java.util.Objects;

/**
 * A note for support staff left by a run, never shown to the customer.
 *
 * @param relatedTickets ids of archived tickets the note refers to; all exist in the archive
 */
public record InternalNote(
    String id,
    @JsonProperty("run_id") RunId runId,
    String text,
    @JsonProperty("related_tickets") List<String> relatedTickets) {

  public InternalNote {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(text, "text");
    relatedTickets = List.copyOf(relatedTickets);
  }
}
