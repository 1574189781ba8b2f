package dev.bridle.core.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * Recorded spending reached a budget's soft threshold: raised once per budget and period, by the
 * call that crossed it.
 */
public record BudgetAlert(Instant at, BudgetCrossing crossing) {
  public BudgetAlert {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(crossing, "crossing");
  }
}
