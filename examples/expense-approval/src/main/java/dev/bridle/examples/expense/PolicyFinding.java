package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One rule of the written expense policy that a report breaks.
 *
 * @param section the policy section, e.g. {@code 4} for receipts
 * @param line the item that breaks it, or 0 when the report as a whole does (a late submission)
 * @param text one sentence for the employee, e.g. "section 4: item 1 (taxi, EUR 42.00) has no
 *     receipt; every item above EUR 25.00 needs one"
 */
public record PolicyFinding(
    @JsonProperty("section") int section,
    @JsonProperty("line") int line,
    @JsonProperty("text") String text) {

  public PolicyFinding {
    Objects.requireNonNull(text, "text");
  }
}
