package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.PriceTable;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code budgets:} section of a workflow file as written, bound by Jackson. Each limit checks
 * its own shape when it is bound, so errors point at it; {@link #toSettings} reads the price file.
 */
record BudgetsSection(
    @JsonProperty("per-run") LimitEntry perRun,
    @JsonProperty("per-user-per-month") LimitEntry perUserPerMonth,
    @JsonProperty("per-workflow-per-day") LimitEntry perWorkflowPerDay,
    @JsonProperty("on-exhausted") BudgetSettings.OnExhausted onExhausted,
    @JsonProperty("max-output-tokens") Integer maxOutputTokens,
    @JsonProperty("prices") String prices) {

  BudgetsSection {
    if (maxOutputTokens != null && maxOutputTokens < 1) {
      throw new IllegalArgumentException(
          "max-output-tokens must be positive, but was " + maxOutputTokens);
    }
    if (prices != null && prices.isBlank()) {
      throw new IllegalArgumentException(
          "prices must name a price file (relative to the workflow file), or be left out for the"
              + " shipped prices");
    }
  }

  /**
   * The settings, with the price file read relative to {@code directory}; {@code
   * defaultMaxOutputTokens} applies when the section does not set {@code max-output-tokens}.
   */
  BudgetSettings toSettings(SourceFile source, Path directory, long defaultMaxOutputTokens) {
    Budgets budgets = Budgets.NONE;
    if (perRun != null) {
      budgets = budgets.withPerRun(perRun.toLimit());
    }
    if (perUserPerMonth != null) {
      budgets = budgets.withPerUserPerMonth(perUserPerMonth.toLimit());
    }
    if (perWorkflowPerDay != null) {
      budgets = budgets.withPerWorkflowPerDay(perWorkflowPerDay.toLimit());
    }
    PriceTable table = PriceTable.shipped();
    Optional<Path> file = Optional.empty();
    if (prices != null) {
      Path resolved;
      try {
        resolved = directory.resolve(prices.strip()).normalize();
      } catch (InvalidPathException e) {
        throw source.problem("budgets.prices", "'" + prices + "' is not a file path");
      }
      try {
        table = table.overriddenBy(PriceTable.load(resolved));
      } catch (ConfigurationException e) {
        throw source.problem("budgets.prices", e.getMessage());
      }
      file = Optional.of(resolved);
    }
    return new BudgetSettings(
        budgets,
        onExhausted == null ? BudgetSettings.OnExhausted.STOP : onExhausted,
        maxOutputTokens == null ? defaultMaxOutputTokens : maxOutputTokens,
        table,
        file);
  }

  /** One budget: tokens, dollars or both, and the share of them that raises a soft alert. */
  record LimitEntry(
      @JsonProperty("tokens") Long tokens,
      @JsonProperty("usd") Object usd,
      @JsonProperty("soft-threshold") Double softThreshold) {

    LimitEntry {
      if (tokens == null && usd == null) {
        throw new IllegalArgumentException("a budget needs tokens, usd or both");
      }
      if (tokens != null && tokens < 1) {
        throw new IllegalArgumentException("tokens must be positive, but was " + tokens);
      }
      if (usd != null) {
        dollars(usd);
      }
      if (softThreshold != null && !(softThreshold > 0 && softThreshold <= 1)) {
        throw new IllegalArgumentException(
            "soft-threshold must be above 0 and at most 1, but was " + softThreshold);
      }
    }

    BudgetLimit toLimit() {
      return new BudgetLimit(
          tokens == null ? OptionalLong.empty() : OptionalLong.of(tokens),
          usd == null ? Optional.empty() : Optional.of(dollars(usd)),
          softThreshold == null ? BudgetLimit.DEFAULT_SOFT_THRESHOLD : softThreshold);
    }

    /** Dollars written as a string ({@code "1.50"}, exact) or a number. */
    private static BigDecimal dollars(Object usd) {
      BigDecimal amount = null;
      if (usd instanceof String text) {
        try {
          amount = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
          amount = null;
        }
      } else if (usd instanceof Number number
          && !(usd instanceof Double d && !Double.isFinite(d))) {
        amount = new BigDecimal(number.toString());
      }
      if (amount == null || amount.signum() <= 0) {
        throw new IllegalArgumentException(
            "usd must be a positive amount of dollars such as \"1.50\", but was "
                + (usd instanceof String s ? "'" + s + "'" : String.valueOf(usd)));
      }
      return amount;
    }
  }
}
