package dev.bridle.examples.triage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.journal.RunId;
import java.util.Objects;

/** A reply drafted by a run. A draft is never sent: a person reviews, edits and sends it. */
public record ReplyDraft(
    String id, @JsonProperty("run_id") RunId runId, String subject, String body) {

  public ReplyDraft {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
  }
}
