package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * Who decided a report, when, and why.
 *
 * @param by a manager's user name, or the expense agent's identity ({@code
 *     agent:expense-approval@1})
 * @param note the reason the employee sees
 */
public record Decision(
    @JsonProperty("by") String by,
    @JsonProperty("at") Instant at,
    @JsonProperty("note") String note) {

  public Decision {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(note, "note");
  }
}
