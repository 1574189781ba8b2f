package dev.bridle.core.cost;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The price of one model from one day on, in US dollars per million tokens. A model has one entry
 * per price change; an entry applies from its {@code effective} day until the next entry's.
 *
 * <p>Cached input tokens are a part of the input tokens, as OpenAI and Gemini report them: {@link
 * #costOf(Usage)} charges {@code inputTokens - cachedInputTokens} at the input price and {@code
 * cachedInputTokens} at the cached-input price.
 *
 * @param modelId {@code provider:name}, as {@link dev.bridle.core.model.ModelSpec#id()} and {@link
 *     dev.bridle.core.model.ModelResponse#modelId()} spell it, e.g. {@code openai:gpt-4o-mini}
 * @param effective the first day (UTC) on which this price applies
 * @param inputPerMillion dollars per million input tokens not served from the prompt cache
 * @param cachedInputPerMillion dollars per million input tokens served from the prompt cache
 * @param outputPerMillion dollars per million output tokens (reasoning tokens included)
 * @param source where the price was read, usually the provider's pricing page
 * @param taken the day the price was read from {@code source}
 * @param verified whether the price was checked against the provider's own page on {@code taken}
 */
public record ModelPrice(
    String modelId,
    LocalDate effective,
    BigDecimal inputPerMillion,
    BigDecimal cachedInputPerMillion,
    BigDecimal outputPerMillion,
    Optional<String> source,
    Optional<LocalDate> taken,
    boolean verified) {

  private static final int PER_MILLION = 6;

  public ModelPrice {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(effective, "effective");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(taken, "taken");
    requireModelId(modelId);
    requireNotNegative(inputPerMillion, "input", modelId);
    requireNotNegative(cachedInputPerMillion, "cached-input", modelId);
    requireNotNegative(outputPerMillion, "output", modelId);
  }

  /** A price without provenance, as an operator would state it in code. */
  public static ModelPrice of(
      String modelId,
      LocalDate effective,
      BigDecimal inputPerMillion,
      BigDecimal cachedInputPerMillion,
      BigDecimal outputPerMillion) {
    return new ModelPrice(
        modelId,
        effective,
        inputPerMillion,
        cachedInputPerMillion,
        outputPerMillion,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** What {@code usage} costs at this price, in dollars, exact (no rounding). */
  public BigDecimal costOf(Usage usage) {
    long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
    long uncached = usage.inputTokens() - cached;
    return BigDecimal.valueOf(uncached)
        .multiply(inputPerMillion)
        .add(BigDecimal.valueOf(cached).multiply(cachedInputPerMillion))
        .add(BigDecimal.valueOf(usage.outputTokens()).multiply(outputPerMillion))
        .movePointLeft(PER_MILLION)
        .stripTrailingZeros();
  }

  static void requireModelId(String modelId) {
    int colon = modelId.indexOf(':');
    if (colon <= 0 || colon == modelId.length() - 1 || !modelId.strip().equals(modelId)) {
      throw new ConfigurationException(
          "model id must be 'provider:name' (e.g. openai:gpt-4o-mini), but was '" + modelId + "'");
    }
  }

  private static void requireNotNegative(BigDecimal price, String field, String modelId) {
    Objects.requireNonNull(price, field);
    if (price.signum() < 0) {
      throw new ConfigurationException(
          field + " price of " + modelId + " must not be negative, but was " + price);
    }
  }
}
