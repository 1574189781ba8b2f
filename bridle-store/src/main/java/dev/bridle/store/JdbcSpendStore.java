package dev.bridle.store;

import dev.bridle.core.cost.BudgetScope;
import dev.bridle.core.cost.Spend;
import dev.bridle.core.cost.SpendStore;
import java.util.Objects;

/**
 * A {@link SpendStore} in the database of a {@link JdbcRunStore}, so that budgets hold across every
 * node on it: one row of {@code spend_totals} per scope and period. An add is one write transaction
 * through the store's writer (on SQLite its one writer connection), a total one read from its read
 * pool.
 */
final class JdbcSpendStore implements SpendStore {

  private final JdbcRunStore store;
  private final SpendRows rows;

  JdbcSpendStore(JdbcRunStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.rows = new SpendRows(store.dialect());
  }

  @Override
  public Spend add(BudgetScope scope, String periodKey, Spend spend) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(periodKey, "periodKey");
    Objects.requireNonNull(spend, "spend");
    return store.write(
        "adding "
            + spend.tokens()
            + " tokens and $"
            + spend.usd().toPlainString()
            + " to the spending of "
            + scope
            + " in period '"
            + periodKey
            + "'",
        c -> rows.add(c, scope, periodKey, spend));
  }

  @Override
  public Spend total(BudgetScope scope, String periodKey) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(periodKey, "periodKey");
    return store
        .read(
            "reading the spending of " + scope + " in period '" + periodKey + "'",
            c -> rows.find(c, scope, periodKey))
        .orElse(Spend.ZERO);
  }

  @Override
  public String toString() {
    return "SpendStore[" + store.location() + "]";
  }
}
