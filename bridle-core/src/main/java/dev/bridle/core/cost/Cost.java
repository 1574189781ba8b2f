package dev.bridle.core.cost;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What some tokens cost in US dollars, or why that is not known. An unknown cost is never zero:
 * budgets in dollars refuse calls whose cost they cannot know.
 */
public sealed interface Cost {

  /** The cost in dollars, when known. */
  Optional<BigDecimal> usd();

  /** The cost at {@code price}, exact. */
  record Known(BigDecimal amount, ModelPrice price) implements Cost {
    public Known {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(price, "price");
    }

    @Override
    public Optional<BigDecimal> usd() {
      return Optional.of(amount);
    }
  }

  /** No price applies to {@code modelId}; {@code reason} says why and what to do. */
  record Unknown(String modelId, String reason) implements Cost {
    public Unknown {
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Optional<BigDecimal> usd() {
      return Optional.empty();
    }
  }
}
