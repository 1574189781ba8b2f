package dev.bridle.core.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Tokens and dollars spent, or about to be.
 *
 * @param tokens input plus output tokens
 * @param usd dollars; zero when the price was unknown (see {@link Cost.Unknown})
 */
public record Spend(long tokens, BigDecimal usd) {

  public static final Spend ZERO = new Spend(0, BigDecimal.ZERO);

  public Spend {
    Objects.requireNonNull(usd, "usd");
    if (tokens < 0 || usd.signum() < 0) {
      throw new IllegalArgumentException(
          "spend must not be negative, but was " + tokens + " tokens and $" + usd);
    }
  }

  public Spend plus(Spend other) {
    return new Spend(tokens + other.tokens, usd.add(other.usd));
  }
}
