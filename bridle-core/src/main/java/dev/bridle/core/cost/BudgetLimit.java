package dev.bridle.core.cost;

import dev.bridle.core.ConfigurationException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hard limits of one budget, in tokens, in dollars or both, and the fraction of them at which a
 * soft alert is raised.
 *
 * @param maxTokens input plus output tokens a scope may spend in its period
 * @param maxUsd dollars a scope may spend in its period
 * @param softThreshold the fraction of a limit (above 0, at most 1; default 0.8) at which spending
 *     raises a soft alert
 */
public record BudgetLimit(
    OptionalLong maxTokens, Optional<BigDecimal> maxUsd, double softThreshold) {

  public static final double DEFAULT_SOFT_THRESHOLD = 0.8;

  public BudgetLimit {
    Objects.requireNonNull(maxTokens, "maxTokens");
    Objects.requireNonNull(maxUsd, "maxUsd");
    if (maxTokens.isEmpty() && maxUsd.isEmpty()) {
      throw new ConfigurationException(
          "a budget needs max-tokens, max-usd or both, but has neither");
    }
    if (maxTokens.isPresent() && maxTokens.getAsLong() <= 0) {
      throw new ConfigurationException(
          "max-tokens must be positive, but was " + maxTokens.getAsLong());
    }
    if (maxUsd.isPresent() && maxUsd.get().signum() <= 0) {
      throw new ConfigurationException("max-usd must be positive, but was " + maxUsd.get());
    }
    if (!(softThreshold > 0 && softThreshold <= 1)) {
      throw new ConfigurationException(
          "soft-threshold must be above 0 and at most 1, but was " + softThreshold);
    }
  }

  /** At most {@code maxTokens} tokens, soft alert at the default threshold. */
  public static BudgetLimit tokens(long maxTokens) {
    return new BudgetLimit(OptionalLong.of(maxTokens), Optional.empty(), DEFAULT_SOFT_THRESHOLD);
  }

  /** At most {@code maxUsd} dollars (a decimal string such as {@code "2.50"}). */
  public static BudgetLimit usd(String maxUsd) {
    return new BudgetLimit(
        OptionalLong.empty(), Optional.of(dollars(maxUsd)), DEFAULT_SOFT_THRESHOLD);
  }

  public BudgetLimit withMaxTokens(long value) {
    return new BudgetLimit(OptionalLong.of(value), maxUsd, softThreshold);
  }

  public BudgetLimit withMaxUsd(String value) {
    return new BudgetLimit(maxTokens, Optional.of(dollars(value)), softThreshold);
  }

  public BudgetLimit withSoftThreshold(double value) {
    return new BudgetLimit(maxTokens, maxUsd, value);
  }

  private static BigDecimal dollars(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          "max-usd must be a decimal number of dollars such as 2.50, but was '" + text + "'", e);
    }
  }
}
