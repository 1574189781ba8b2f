package dev.bridle.examples.leads;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What one write to a lead did: the changed fields before and after, who wrote them and when.
 *
 * @param repeated true when a write with the same idempotency key had already been applied, so this
 *     call wrote nothing and returns what the first one did
 */
public record LeadWrite(
    String leadId,
    Map<String, String> before,
    Map<String, String> after,
    String writtenBy,
    Instant writtenAt,
    boolean repeated) {

  public LeadWrite {
    Objects.requireNonNull(leadId, "leadId");
    before = Map.copyOf(before);
    after = Map.copyOf(after);
    Objects.requireNonNull(writtenBy, "writtenBy");
    Objects.requireNonNull(writtenAt, "writtenAt");
  }

  /** The resource name of the lead in change records, e.g. {@code crm:lead/L-1004}. */
  public String resource() {
    return "crm:lead/" + leadId;
  }
}
