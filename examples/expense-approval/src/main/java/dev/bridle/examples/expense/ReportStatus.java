package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where an expense report stands. Only a {@link #SUBMITTED} report can be decided. */
public enum ReportStatus {
  /** Waiting for a decision. */
  SUBMITTED,
  /** Approved for reimbursement. */
  APPROVED,
  /** Rejected; the employee may submit a corrected report. */
  REJECTED;

  /** The lower-case name used in JSON and in the ledger, e.g. {@code submitted}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The status with this lower-case name.
   *
   * @throws IllegalArgumentException naming the value and the known names
   */
  @JsonCreator
  public static ReportStatus fromWireName(String name) {
    for (ReportStatus status : values()) {
      if (status.wireName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown report status '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(ReportStatus::wireName)
                .collect(Collectors.joining(", ")));
  }
}
