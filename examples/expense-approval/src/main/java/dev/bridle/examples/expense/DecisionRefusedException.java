package dev.bridle.examples.expense;

/**
 * A decision the ledger or the tools will not make: a report that was decided already, an approval
 * whose amount is not the report's total, an approval of a report that breaks the written policy, a
 * reopening that would undo someone else's decision. Thrown by a tool, its message is what the
 * model reads: what was refused and what to do instead.
 */
public final class DecisionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reportId;

  DecisionRefusedException(String reportId, String message) {
    super(message);
    this.reportId = reportId;
  }

  /** The report the refused decision was about. */
  public String reportId() {
    return reportId;
  }
}
