package dev.bridle.models.resilience;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a model call is retried: up to {@code maxAttempts} calls in all, waiting an exponential
 * backoff with jitter between them, or exactly what the provider asked for in {@code Retry-After}.
 *
 * <p>The wait before attempt {@code n + 1} is {@code initialBackoff * multiplier^(n-1)}, moved at
 * random by up to {@code jitter} of itself either way, and at most {@code maxBackoff}. A provider's
 * {@code Retry-After} replaces it; one longer than {@code maxBackoff} ends the retries at once (a
 * cascade can then move on to another model rather than hold the run).
 *
 * @param maxAttempts calls in all, the first included (1 to 10; default 3; 1 turns retries off)
 * @param initialBackoff the wait after the first failure (at least 1 ms; default 500 ms)
 * @param multiplier the growth of the wait per attempt (at least 1; default 2)
 * @param jitter the random share of each wait, at least 0 and below 1 (default 0.5)
 * @param maxBackoff the longest wait, for backoff and for {@code Retry-After} (default 30 s)
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    double jitter,
    Duration maxBackoff) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(30));

  /** One attempt, no retries. */
  public static final RetryPolicy NONE = DEFAULT.withMaxAttempts(1);

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new ConfigurationException(
          "max-attempts must be between 1 and 10, but was " + maxAttempts);
    }
    if (initialBackoff.toMillis() < 1) {
      throw new ConfigurationException(
          "initial-backoff must be at least 1 ms, but was " + initialBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new ConfigurationException("multiplier must be at least 1, but was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new ConfigurationException("jitter must be at least 0 and below 1, but was " + jitter);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigurationException(
          "max-backoff must be at least initial-backoff ("
              + initialBackoff
              + "), but was "
              + maxBackoff);
    }
  }

  public RetryPolicy withMaxAttempts(int value) {
    return new RetryPolicy(value, initialBackoff, multiplier, jitter, maxBackoff);
  }

  public RetryPolicy withInitialBackoff(Duration value) {
    return new RetryPolicy(maxAttempts, value, multiplier, jitter, maxBackoff);
  }

  public RetryPolicy withMultiplier(double value) {
    return new RetryPolicy(maxAttempts, initialBackoff, value, jitter, maxBackoff);
  }

  public RetryPolicy withJitter(double value) {
    return new RetryPolicy(maxAttempts, initialBackoff, multiplier, value, maxBackoff);
  }

  public RetryPolicy withMaxBackoff(Duration value) {
    return new RetryPolicy(maxAttempts, initialBackoff, multiplier, jitter, value);
  }
}
