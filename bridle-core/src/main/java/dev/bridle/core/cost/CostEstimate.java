package dev.bridle.core.cost;

import dev.bridle.core.model.Usage;
import java.util.Objects;

/**
 * The most a model call is expected to use before it is made: the estimated input tokens, the
 * output token cap, and what that costs.
 *
 * @param modelId the model the estimate prices
 * @param tokens estimated input tokens and the output cap; no cached tokens are assumed
 * @param cost the price of {@code tokens}, or why it is unknown
 */
public record CostEstimate(String modelId, Usage tokens, Cost cost) {
  public CostEstimate {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(cost, "cost");
  }
}
