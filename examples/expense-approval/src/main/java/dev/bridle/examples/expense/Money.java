package dev.bridle.examples.expense;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts in EUR as {@link BigDecimal}s with exactly two decimals. */
final class Money {

  private Money() {}

  /**
   * {@code amount} with two decimals.
   *
   * @throws IllegalArgumentException naming {@code what} when it has more than two decimals
   */
  static BigDecimal of(BigDecimal amount, String what) {
    try {
      return amount.setScale(2, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          what + " must have at most two decimals (cents), but was " + amount.toPlainString(), e);
    }
  }

  /** {@code 1133.00} as {@code "EUR 1133.00"}. */
  static String eur(BigDecimal amount) {
    return "EUR " + amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}
