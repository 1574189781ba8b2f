package dev.bridle.models.resilience;

import dev.bridle.core.model.ModelException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A model was not called because its provider's circuit breaker is open (or half-open with every
 * trial call taken). Its kind is {@link ModelException.Kind#PROVIDER_ERROR}; {@link #retryAfter()}
 * is the time left until the breaker lets a trial call through. A {@link CascadeChatModel} moves on
 * to its next model.
 */
public final class CircuitOpenException extends ModelException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final transient Instant openUntil;

  CircuitOpenException(String provider, String message, Instant openUntil, Duration retryAfter) {
    super(Kind.PROVIDER_ERROR, message, retryAfter, null);
    this.provider = provider;
    this.openUntil = openUntil;
  }

  /** The provider whose breaker refused the call. */
  public String provider() {
    return provider;
  }

  /** When the breaker lets a trial call through; empty while half-open. */
  public Optional<Instant> openUntil() {
    return Optional.ofNullable(openUntil);
  }
}
