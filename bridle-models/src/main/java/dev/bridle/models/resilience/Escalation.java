package dev.bridle.models.resilience;

import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CascadeChatModel} did for one call: each model tried, in order, and why it was
 * left; which model served; and the money saved against always calling the strongest model.
 *
 * @param attempts the models tried, cheapest first
 * @param servedBy the model id of the answer returned ({@code ModelResponse.modelId()}); empty when
 *     every model failed
 * @param accepted whether the returned answer passed the check; false when every answer was
 *     rejected and the strongest model's was returned anyway
 * @param savings dollars saved, or why that is unknown
 */
public record Escalation(
    List<Attempt> attempts, Optional<String> servedBy, boolean accepted, Savings savings) {

  public Escalation {
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(servedBy, "servedBy");
    Objects.requireNonNull(savings, "savings");
  }

  /** Whether more than one model was tried. */
  public boolean escalated() {
    return attempts.size() > 1;
  }

  /** The tokens of every answer received, rejected ones included: what the call consumed. */
  public Usage usage() {
    return attempts.stream().map(Attempt::usage).reduce(Usage.ZERO, Usage::plus);
  }

  /** One model tried. */
  public record Attempt(String modelId, Outcome outcome) {
    public Attempt {
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(outcome, "outcome");
    }

    /** The tokens of its answer; zero when it gave none. */
    public Usage usage() {
      return switch (outcome) {
        case Outcome.Accepted accepted -> accepted.usage();
        case Outcome.Rejected rejected -> rejected.usage();
        case Outcome.Failed failed -> Usage.ZERO;
        case Outcome.CircuitOpen open -> Usage.ZERO;
      };
    }
  }

  /** How one attempt ended. */
  public sealed interface Outcome {
    /** It answered and the answer was kept. */
    record Accepted(String servedBy, Usage usage) implements Outcome {}

    /** It answered and the check rejected the answer. */
    record Rejected(String servedBy, Usage usage, String reason) implements Outcome {}

    /** The call failed (after the model's own retries). */
    record Failed(ModelException.Kind kind, String message) implements Outcome {}

    /** It was not called: its provider's breaker is open ({@code until} empty: half-open). */
    record CircuitOpen(String provider, Optional<Instant> until) implements Outcome {}
  }

  /** The money saved against always calling the strongest (last) model. */
  public sealed interface Savings {
    /**
     * {@code strongestUsd} is what the strongest model would have charged for the served answer's
     * tokens; {@code spentUsd} what every answer received cost; {@code savedUsd} the difference,
     * negative when escalating cost more than going to the strongest model directly.
     */
    record Known(BigDecimal spentUsd, BigDecimal strongestUsd, BigDecimal savedUsd)
        implements Savings {}

    /** No price for a model involved, no price table, or no answer. */
    record Unknown(String reason) implements Savings {}
  }
}
