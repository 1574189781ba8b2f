package dev.bridle.core.cost;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One budget at or past a threshold.
 *
 * @param scope whose budget
 * @param periodKey which period ({@code run}, {@code 2026-11}, {@code 2026-11-22})
 * @param measure tokens or dollars
 * @param spent what the scope had spent in the period before the call in question
 * @param adding what the call adds (estimated before it, actual after it); empty when its cost in
 *     dollars is unknown
 * @param limit the hard limit
 * @param message a sentence for the journal and the operator
 */
public record BudgetCrossing(
    BudgetScope scope,
    String periodKey,
    Measure measure,
    BigDecimal spent,
    Optional<BigDecimal> adding,
    BigDecimal limit,
    String message) {

  /** What a limit counts. */
  public enum Measure {
    TOKENS,
    USD
  }

  public BudgetCrossing {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(periodKey, "periodKey");
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(adding, "adding");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(message, "message");
  }
}
