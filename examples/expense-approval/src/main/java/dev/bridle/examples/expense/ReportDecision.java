package dev.bridle.examples.expense;

import java.time.Instant;
import java.util.Objects;

/**
 * What one decision (or one reopening) did to a report: its status before and after, the note, who
 * made it and when.
 *
 * @param note the reason the employee sees; empty for a reopening
 * @param repeated true when a call with the same idempotency key had made this decision before, so
 *     this call changed nothing and returns what the first one did
 */
public record ReportDecision(
    String reportId,
    ReportStatus before,
    ReportStatus after,
    String note,
    String decidedBy,
    Instant decidedAt,
    boolean repeated) {

  public ReportDecision {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }

  /** The resource name of the report in change records, e.g. {@code expenses:report/E-2003}. */
  public String resource() {
    return "expenses:report/" + reportId;
  }
}
