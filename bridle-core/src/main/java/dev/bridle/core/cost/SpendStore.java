package dev.bridle.core.cost;

/**
 * Where budgets keep what was spent: totals per scope and period. {@link InMemorySpendStore} holds
 * them for one process; a store shared by every node (a database table) makes budgets hold across a
 * cluster. Implementations are thread-safe.
 *
 * <p>Period keys are {@code run} for a run, {@code 2026-11} for a user's month and {@code
 * 2026-11-22} for a workflow's day (see {@link BudgetLedger}).
 */
public interface SpendStore {

  /**
   * Adds {@code spend} to the total of {@code scope} in {@code periodKey}, atomically, and returns
   * the new total.
   */
  Spend add(BudgetScope scope, String periodKey, Spend spend);

  /** The total of {@code scope} in {@code periodKey}; {@link Spend#ZERO} when nothing was spent. */
  Spend total(BudgetScope scope, String periodKey);
}
