package dev.bridle.examples.expense;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of an expense report.
 *
 * @param line the line number within its report, from 1
 * @param category one of the categories of the written policy (section 3), or one it never
 *     reimburses (section 5), or anything else the employee chose
 * @param description what the employee wrote: free text, so the expense agent treats it as
 *     untrusted
 * @param amount in EUR, with two decimals
 * @param receipt whether a receipt is attached
 */
public record ExpenseItem(
    @JsonProperty("line") int line,
    @JsonProperty("date") LocalDate date,
    @JsonProperty("category") String category,
    @JsonProperty("description") String description,
    @JsonProperty("merchant") String merchant,
    @JsonProperty("amount") BigDecimal amount,
    @JsonProperty("receipt") boolean receipt) {

  public ExpenseItem {
    if (line < 1) {
      throw new IllegalArgumentException("an item's line number starts at 1, but was " + line);
    }
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(merchant, "merchant");
    amount = Money.of(Objects.requireNonNull(amount, "amount"), "the amount of item " + line);
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException(
          "the amount of item " + line + " must be positive, but was " + amount);
    }
  }
}
