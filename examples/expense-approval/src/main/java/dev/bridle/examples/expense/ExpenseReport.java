package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An expense report: who spent what on which trip or purchase, line by line, and where it stands.
 *
 * @param id {@code E-} and four digits, e.g. {@code E-2003}
 * @param employeeUser the employee's user name; a manager approving the report must be someone else
 *     (four eyes)
 * @param purpose what the employee wrote the expenses were for: free text, untrusted
 * @param submittedOn the day the report was submitted; section 6 of the policy counts from it
 * @param items the lines, numbered from 1 in order
 * @param decision who decided the report and why; present exactly when it is not {@link
 *     ReportStatus#SUBMITTED}
 */
public record ExpenseReport(
    @JsonProperty("id") String id,
    @JsonProperty("employee") String employee,
    @JsonProperty("employee_user") String employeeUser,
    @JsonProperty("department") String department,
    @JsonProperty("purpose") String purpose,
    @JsonProperty("submitted_on") LocalDate submittedOn,
    @JsonProperty("status") ReportStatus status,
    @JsonProperty("items") List<ExpenseItem> items,
    @JsonProperty("decision") Optional<Decision> decision) {

  /** The shape of a report id. */
  public static final Pattern ID = Pattern.compile("E-\\d{4}");

  public ExpenseReport {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("report id must match " + ID + ", but was '" + id + "'");
    }
    Objects.requireNonNull(employee, "employee");
    Objects.requireNonNull(employeeUser, "employeeUser");
    Objects.requireNonNull(department, "department");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(submittedOn, "submittedOn");
    Objects.requireNonNull(status, "status");
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("report " + id + " has no items");
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).line() != i + 1) {
        throw new IllegalArgumentException(
            "report "
                + id
                + ": items must be numbered 1, 2, 3, ... in order, but item "
                + (i + 1)
                + " has line "
                + items.get(i).line());
      }
    }
    decision = decision == null ? Optional.empty() : decision;
    if (decision.isPresent() != (status != ReportStatus.SUBMITTED)) {
      throw new IllegalArgumentException(
          "report "
              + id
              + " is "
              + status.wireName()
              + (decision.isPresent() ? " but has a decision" : " but has no decision"));
    }
  }

  /** The sum of the items, in EUR. */
  @JsonProperty("total")
  public BigDecimal total() {
    return items.stream().map(ExpenseItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The same report with another status and decision. */
  ExpenseReport withDecision(ReportStatus newStatus, Optional<Decision> newDecision) {
    return new ExpenseReport(
        id,
        employee,
        employeeUser,
        department,
        purpose,
        submittedOn,
        newStatus,
        items,
        newDecision);
  }
}
