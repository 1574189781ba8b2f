package dev.bridle.core.cost;

import dev.bridle.core.cost.BudgetCrossing.Measure;
import dev.bridle.core.model.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Enforces {@link Budgets} over a {@link SpendStore}: {@link #check} before a model call refuses
 * one whose estimate would pass a hard limit, {@link #record} after it adds what the provider
 * reported and raises a {@link BudgetAlert} when a soft threshold is crossed.
 *
 * <p>Months and days are calendar periods in the clock's time zone ({@code Clock.systemUTC()}:
 * UTC). A call whose cost in dollars is unknown is refused wherever a dollar limit applies, because
 * that limit cannot be checked; token limits still apply. Checks and records of concurrent calls
 * are not serialised: a hard limit can be passed by what calls already under way spend.
 *
 * <pre>{@code
 * BudgetLedger ledger = BudgetLedger.of(
 *     Budgets.NONE.withPerUserPerMonth(BudgetLimit.usd("20")), new InMemorySpendStore(), clock);
 * if (ledger.check(spender, estimator.estimate(request, modelId, 1024))
 *     instanceof BudgetDecision.HardExceeded refused) { ... stop: refused.message() ... }
 * ModelResponse response = model.chat(request);
 * ledger.record(spender, response.usage(), prices.cost(response.modelId(), response.usage(), today));
 * }</pre>
 */
public final class BudgetLedger {

  /** Counters for a metrics exporter. */
  public record Metrics(long checks, long hardRefusals, long softAlerts) {}

  private static final String RUN_PERIOD = "run";

  private final Budgets budgets;
  private final SpendStore store;
  private final Clock clock;
  private final List<Consumer<BudgetAlert>> softListeners = new CopyOnWriteArrayList<>();
  private final LongAdder checks = new LongAdder();
  private final LongAdder hardRefusals = new LongAdder();
  private final LongAdder softAlerts = new LongAdder();

  private BudgetLedger(Budgets budgets, SpendStore store, Clock clock) {
    this.budgets = Objects.requireNonNull(budgets, "budgets");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static BudgetLedger of(Budgets budgets, SpendStore store, Clock clock) {
    return new BudgetLedger(budgets, store, clock);
  }

  /** Calls {@code listener} for every soft threshold crossed by recorded spending. */
  public void onSoftThreshold(Consumer<BudgetAlert> listener) {
    softListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Whether a call with {@code estimate} may be made for {@code spender}. Records nothing. */
  public BudgetDecision check(Spender spender, CostEstimate estimate) {
    checks.increment();
    List<BudgetCrossing> hard = new ArrayList<>();
    List<BudgetCrossing> soft = new ArrayList<>();
    for (BudgetScope scope : spender.scopes()) {
      Optional<BudgetLimit> limit = budgets.limit(scope.period());
      if (limit.isEmpty()) {
        continue;
      }
      String period = periodKey(scope.period());
      Spend spent = store.total(scope, period);
      classify(scope, period, limit.get(), spent, estimate.tokens().totalTokens(), estimate.cost())
          .forEach(c -> (c.hard ? hard : soft).add(c.crossing));
    }
    if (!hard.isEmpty()) {
      hardRefusals.increment();
      return new BudgetDecision.HardExceeded(hard);
    }
    return soft.isEmpty() ? new BudgetDecision.Allowed() : new BudgetDecision.SoftExceeded(soft);
  }

  /**
   * Adds what a call used to every scope of {@code spender}, raises an alert for each soft
   * threshold it crossed, and returns where the budgets now stand: {@code HardExceeded} means a
   * limit is spent and the next {@link #check} will refuse. An unknown cost adds tokens and no
   * dollars.
   */
  public BudgetDecision record(Spender spender, Usage usage, Cost cost) {
    Spend spend = new Spend(usage.totalTokens(), cost.usd().orElse(BigDecimal.ZERO));
    List<BudgetCrossing> hard = new ArrayList<>();
    List<BudgetCrossing> soft = new ArrayList<>();
    List<BudgetAlert> alerts = new ArrayList<>();
    for (BudgetScope scope : spender.scopes()) {
      String period = periodKey(scope.period());
      Spend after = store.add(scope, period, spend);
      Optional<BudgetLimit> limit = budgets.limit(scope.period());
      if (limit.isEmpty()) {
        continue;
      }
      Spend before = new Spend(after.tokens() - spend.tokens(), after.usd().subtract(spend.usd()));
      for (Classified c : classify(scope, period, limit.get(), before, spend.tokens(), cost)) {
        if (c.crossing.adding().isEmpty()) {
          continue;
        }
        (c.hard ? hard : soft).add(c.crossing);
        if (c.crossedSoftNow) {
          alerts.add(new BudgetAlert(clock.instant(), c.crossing));
        }
      }
    }
    for (BudgetAlert alert : alerts) {
      softAlerts.increment();
      softListeners.forEach(listener -> listener.accept(alert));
    }
    if (!hard.isEmpty()) {
      return new BudgetDecision.HardExceeded(hard);
    }
    return soft.isEmpty() ? new BudgetDecision.Allowed() : new BudgetDecision.SoftExceeded(soft);
  }

  /** What {@code scope} has spent in its current period. */
  public Spend spent(BudgetScope scope) {
    return store.total(scope, periodKey(scope.period()));
  }

  /** The current period key: {@code run}, the month ({@code 2026-11}) or the day. */
  public String periodKey(BudgetScope.Period period) {
    return switch (period) {
      case RUN -> RUN_PERIOD;
      case USER_MONTH -> YearMonth.now(clock).toString();
      case WORKFLOW_DAY -> LocalDate.now(clock).toString();
    };
  }

  public Metrics metrics() {
    return new Metrics(checks.sum(), hardRefusals.sum(), softAlerts.sum());
  }

  private record Classified(BudgetCrossing crossing, boolean hard, boolean crossedSoftNow) {}

  private static List<Classified> classify(
      BudgetScope scope, String period, BudgetLimit limit, Spend spent, long tokens, Cost cost) {
    List<Classified> found = new ArrayList<>(2);
    if (limit.maxTokens().isPresent()) {
      BigDecimal max = BigDecimal.valueOf(limit.maxTokens().getAsLong());
      measure(
              scope,
              period,
              Measure.TOKENS,
              BigDecimal.valueOf(spent.tokens()),
              BigDecimal.valueOf(tokens),
              max,
              limit.softThreshold())
          .ifPresent(found::add);
    }
    if (limit.maxUsd().isPresent()) {
      BigDecimal max = limit.maxUsd().get();
      switch (cost) {
        case Cost.Known known ->
            measure(
                    scope,
                    period,
                    Measure.USD,
                    spent.usd(),
                    known.amount(),
                    max,
                    limit.softThreshold())
                .ifPresent(found::add);
        case Cost.Unknown unknown ->
            found.add(
                new Classified(
                    new BudgetCrossing(
                        scope,
                        period,
                        Measure.USD,
                        spent.usd(),
                        Optional.empty(),
                        max,
                        label(scope, period)
                            + " has a limit of "
                            + format(Measure.USD, max)
                            + " that cannot be checked: "
                            + unknown.reason()),
                    true,
                    false));
      }
    }
    return found;
  }

  private static Optional<Classified> measure(
      BudgetScope scope,
      String period,
      Measure measure,
      BigDecimal spent,
      BigDecimal adding,
      BigDecimal max,
      double softThreshold) {
    BigDecimal after = spent.add(adding);
    BigDecimal softLimit = max.multiply(BigDecimal.valueOf(softThreshold));
    boolean hard = after.compareTo(max) > 0;
    boolean soft = after.compareTo(softLimit) >= 0;
    if (!hard && !soft) {
      return Optional.empty();
    }
    String message =
        label(scope, period)
            + ": "
            + format(measure, spent)
            + " spent + "
            + format(measure, adding)
            + " = "
            + format(measure, after)
            + (hard
                ? ", over the limit of " + format(measure, max)
                : ", "
                    + percent(after, max)
                    + " of the limit of "
                    + format(measure, max)
                    + " (soft threshold "
                    + percent(softLimit, max)
                    + ")");
    BudgetCrossing crossing =
        new BudgetCrossing(scope, period, measure, spent, Optional.of(adding), max, message);
    boolean crossedSoftNow = spent.compareTo(softLimit) < 0;
    return Optional.of(new Classified(crossing, hard, crossedSoftNow));
  }

  private static String label(BudgetScope scope, String period) {
    return scope + " budget" + (period.equals(RUN_PERIOD) ? "" : " for " + period);
  }

  private static String format(Measure measure, BigDecimal amount) {
    String plain = amount.stripTrailingZeros().toPlainString();
    return measure == Measure.USD ? "$" + plain : plain + " tokens";
  }

  private static String percent(BigDecimal part, BigDecimal whole) {
    return part.multiply(BigDecimal.valueOf(100))
            .divide(whole, 0, RoundingMode.FLOOR)
            .toPlainString()
        + "%";
  }
}
