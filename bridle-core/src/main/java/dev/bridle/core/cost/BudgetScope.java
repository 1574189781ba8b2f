package dev.bridle.core.cost;

import java.util.Objects;

/**
 * What a budget counts: one run, one user in a calendar month, or one workflow in a calendar day.
 *
 * @param period which budget
 * @param subject the run id, the user or the workflow name
 */
public record BudgetScope(Period period, String subject) {

  /** The three budgets. */
  public enum Period {
    /** One run, whatever its length. */
    RUN("run"),
    /** One user in one calendar month. */
    USER_MONTH("user"),
    /** One workflow in one calendar day. */
    WORKFLOW_DAY("workflow");

    private final String noun;

    Period(String noun) {
      this.noun = noun;
    }

    /** {@code run}, {@code user} or {@code workflow}. */
    public String noun() {
      return noun;
    }
  }

  public BudgetScope {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("budget subject must not be blank");
    }
  }

  public static BudgetScope run(String runId) {
    return new BudgetScope(Period.RUN, runId);
  }

  public static BudgetScope user(String user) {
    return new BudgetScope(Period.USER_MONTH, user);
  }

  public static BudgetScope workflow(String workflow) {
    return new BudgetScope(Period.WORKFLOW_DAY, workflow);
  }

  /** {@code user 'alice'}. */
  @Override
  public String toString() {
    return period.noun() + " '" + subject + "'";
  }
}
