package dev.bridle.examples.expense;

/**
 * A report id that is not in the ledger. Thrown by a tool, its message becomes the error
 * observation the model reads, so it says which ids exist.
 */
public final class UnknownReportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reportId;

  UnknownReportException(String reportId, String knownRange) {
    super("no expense report " + reportId + " in the ledger; ids are " + knownRange);
    this.reportId = reportId;
  }

  public String reportId() {
    return reportId;
  }
}
