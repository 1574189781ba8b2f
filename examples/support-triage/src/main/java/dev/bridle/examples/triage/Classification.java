package dev.bridle.examples.triage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.journal.RunId;
import java.util.Objects;

/** A classification proposed by a run: what the ticket is about, how urgent it is, and why. */
public record Classification(
    String id,
    @JsonProperty("run_id") RunId runId,
    Category category,
    Urgency urgency,
    String reason) {

  public Classification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(urgency, "urgency");
    Objects.requireNonNull(reason, "reason");
  }
}
