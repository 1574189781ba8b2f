package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A report flagged for the finance team to review. A flag decides nothing: the report stays
 * submitted until a person approves or rejects it.
 *
 * @param repeated true when a call with the same idempotency key raised this flag before
 */
public record ReviewFlag(
    @JsonProperty("flag_id") long flagId,
    @JsonProperty("report_id") String reportId,
    @JsonProperty("reason") String reason,
    @JsonProperty("flagged_by") String flaggedBy,
    @JsonProperty("flagged_at") Instant flaggedAt,
    @JsonProperty("repeated") boolean repeated) {

  public ReviewFlag {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(flaggedBy, "flaggedBy");
    Objects.requireNonNull(flaggedAt, "flaggedAt");
  }
}
