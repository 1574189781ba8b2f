package dev.bridle.models.resilience;

import dev.bridle.core.model.ModelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A model call failed and will be tried again after {@code delay}.
 *
 * @param modelId the model called
 * @param provider the provider whose breaker counted the failure
 * @param attempt the attempt that failed, from 1
 * @param kind what went wrong
 * @param delay the wait before the next attempt
 * @param retryAfter what the provider asked for, when it did; {@code delay} then equals it
 */
public record RetryScheduled(
    String modelId,
    String provider,
    int attempt,
    ModelException.Kind kind,
    Duration delay,
    Optional<Duration> retryAfter) {
  public RetryScheduled {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(retryAfter, "retryAfter");
  }
}
