package dev.bridle.core.workflow;

import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.cost.SpendStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workflow file's {@code budgets:} section says: the limits, what a run does when one is
 * spent, the output each model call is assumed to produce for the pre-call estimate, and the
 * prices.
 *
 * @param budgets the limits per run, per user per month and per workflow per day
 * @param onExhausted what a run does when a call would cross a hard limit
 * @param maxOutputTokens the output tokens the pre-call estimate assumes for each call
 * @param prices the shipped price table, overridden by the file's price file if it names one
 * @param priceFile the price file, resolved against the workflow file's directory
 */
public record BudgetSettings(
    Budgets budgets,
    OnExhausted onExhausted,
    long maxOutputTokens,
    PriceTable prices,
    Optional<Path> priceFile) {

  /** The output assumed per call when neither the budgets nor the model say. */
  public static final long DEFAULT_MAX_OUTPUT_TOKENS = 1024;

  /** What a run does when a model call would cross a hard limit. */
  public enum OnExhausted {
    /** The run ends with {@code BudgetExhausted}. */
    STOP,
    /** The run is parked for a human and resumes once the budget allows. */
    PARK
  }

  public BudgetSettings {
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(onExhausted, "onExhausted");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(priceFile, "priceFile");
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException(
          "max-output-tokens must be positive, but was " + maxOutputTokens);
    }
  }

  /** No limits, the shipped prices: what a file without {@code budgets:} gets. */
  public static BudgetSettings defaults() {
    return new BudgetSettings(
        Budgets.NONE,
        OnExhausted.STOP,
        DEFAULT_MAX_OUTPUT_TOKENS,
        PriceTable.shipped(),
        Optional.empty());
  }

  /** True when at least one budget has a limit; then spending must be kept in a store. */
  public boolean limited() {
    return budgets.perRun().isPresent()
        || budgets.perUserPerMonth().isPresent()
        || budgets.perWorkflowPerDay().isPresent();
  }

  /** Prices only: every call's cost is recorded, nothing is limited. */
  public Metering pricesOnly() {
    return new Metering(prices, null, maxOutputTokens, onExhausted == OnExhausted.PARK);
  }

  /** The budgets enforced on spending kept in {@code store}, in periods of {@code clock}'s zone. */
  public Metering enforcedWith(SpendStore store, Clock clock) {
    return new Metering(
        prices,
        BudgetLedger.of(budgets, store, clock),
        maxOutputTokens,
        onExhausted == OnExhausted.PARK);
  }
}
