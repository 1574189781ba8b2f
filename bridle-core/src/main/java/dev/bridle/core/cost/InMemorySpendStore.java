package dev.bridle.core.cost;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SpendStore} in this process's memory: for tests, demos and single-node use. */
public final class InMemorySpendStore implements SpendStore {

  private record Key(BudgetScope scope, String periodKey) {}

  private final ConcurrentMap<Key, Spend> totals = new ConcurrentHashMap<>();

  @Override
  public Spend add(BudgetScope scope, String periodKey, Spend spend) {
    Objects.requireNonNull(spend, "spend");
    return totals.merge(key(scope, periodKey), spend, Spend::plus);
  }

  @Override
  public Spend total(BudgetScope scope, String periodKey) {
    return totals.getOrDefault(key(scope, periodKey), Spend.ZERO);
  }

  private static Key key(BudgetScope scope, String periodKey) {
    return new Key(
        Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(periodKey, "periodKey"));
  }
}
