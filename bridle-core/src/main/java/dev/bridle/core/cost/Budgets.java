package dev.bridle.core.cost;

import java.util.Objects;
import java.util.Optional;

/**
 * The budgets in force: per run, per user per calendar month and per workflow per calendar day.
 * Each is optional; {@link #NONE} limits nothing (spending is still recorded).
 */
public record Budgets(
    Optional<BudgetLimit> perRun,
    Optional<BudgetLimit> perUserPerMonth,
    Optional<BudgetLimit> perWorkflowPerDay) {

  public static final Budgets NONE =
      new Budgets(Optional.empty(), Optional.empty(), Optional.empty());

  public Budgets {
    Objects.requireNonNull(perRun, "perRun");
    Objects.requireNonNull(perUserPerMonth, "perUserPerMonth");
    Objects.requireNonNull(perWorkflowPerDay, "perWorkflowPerDay");
  }

  public Budgets withPerRun(BudgetLimit limit) {
    return new Budgets(Optional.of(limit), perUserPerMonth, perWorkflowPerDay);
  }

  public Budgets withPerUserPerMonth(BudgetLimit limit) {
    return new Budgets(perRun, Optional.of(limit), perWorkflowPerDay);
  }

  public Budgets withPerWorkflowPerDay(BudgetLimit limit) {
    return new Budgets(perRun, perUserPerMonth, Optional.of(limit));
  }

  /** The limit of {@code period}, if one is set. */
  public Optional<BudgetLimit> limit(BudgetScope.Period period) {
    return switch (period) {
      case RUN -> perRun;
      case USER_MONTH -> perUserPerMonth;
      case WORKFLOW_DAY -> perWorkflowPerDay;
    };
  }
}
