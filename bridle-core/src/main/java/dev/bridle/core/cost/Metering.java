package dev.bridle.core.cost;

import java.util.Objects;

/**
 * How an agent prices and limits its model calls (DESIGN §5): the price table that turns usage into
 * dollars (recorded on every {@code ModelResponded}), and optionally a budget ledger checked before
 * every model call with a pre-call estimate.
 *
 * @param ledger the budgets to enforce, or null for none
 * @param maxOutputTokens the output the estimate assumes for each call
 * @param parkWhenExhausted when a hard limit is reached: true parks the run for a human (it resumes
 *     once the budget allows), false ends it with {@code BudgetExhausted}
 */
public record Metering(
    PriceTable prices, BudgetLedger ledger, long maxOutputTokens, boolean parkWhenExhausted) {

  /** Prices from the shipped table, no budgets. */
  public static Metering pricesOnly() {
    return new Metering(PriceTable.shipped(), null, 1024, false);
  }

  public Metering {
    Objects.requireNonNull(prices, "prices");
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("max output tokens must be positive");
    }
  }

  /** The same prices with budgets enforced by {@code budgets}. */
  public Metering withBudgets(BudgetLedger budgets, boolean park) {
    return new Metering(prices, budgets, maxOutputTokens, park);
  }
}
