package dev.bridle.models.resilience;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * When a provider's circuit breaker opens and for how long.
 *
 * <p>The breaker looks at the last {@code slidingWindowCalls} calls to the provider; once it has
 * seen at least {@code minimumCalls}, a failure rate of {@code failureRatePercent} or more opens
 * it. While open, calls fail at once without reaching the provider. After {@code openFor} the next
 * call finds it half-open: {@code halfOpenCalls} trial calls go through, and it closes again if
 * fewer than {@code failureRatePercent} of them fail, else it opens for another {@code openFor}.
 *
 * <p>Failures are rate limits, provider errors, timeouts and malformed answers; a refused request
 * or refused credentials are the caller's problem and count neither way.
 *
 * @param failureRatePercent 1 to 100 (default 50)
 * @param slidingWindowCalls 1 to 1000 (default 20)
 * @param minimumCalls 1 to {@code slidingWindowCalls} (default 10)
 * @param openFor how long the breaker stays open (positive; default 30 s)
 * @param halfOpenCalls trial calls while half-open, 1 to 100 (default 3)
 */
public record BreakerPolicy(
    int failureRatePercent,
    int slidingWindowCalls,
    int minimumCalls,
    Duration openFor,
    int halfOpenCalls) {

  public static final BreakerPolicy DEFAULT =
      new BreakerPolicy(50, 20, 10, Duration.ofSeconds(30), 3);

  public BreakerPolicy {
    Objects.requireNonNull(openFor, "openFor");
    if (failureRatePercent < 1 || failureRatePercent > 100) {
      throw new ConfigurationException(
          "failure-rate-percent must be between 1 and 100, but was " + failureRatePercent);
    }
    if (slidingWindowCalls < 1 || slidingWindowCalls > 1000) {
      throw new ConfigurationException(
          "sliding-window-calls must be between 1 and 1000, but was " + slidingWindowCalls);
    }
    if (minimumCalls < 1 || minimumCalls > slidingWindowCalls) {
      throw new ConfigurationException(
          "minimum-calls must be between 1 and sliding-window-calls ("
              + slidingWindowCalls
              + "), but was "
              + minimumCalls);
    }
    if (openFor.toMillis() < 1) {
      throw new ConfigurationException("open-for must be at least 1 ms, but was " + openFor);
    }
    if (halfOpenCalls < 1 || halfOpenCalls > 100) {
      throw new ConfigurationException(
          "half-open-calls must be between 1 and 100, but was " + halfOpenCalls);
    }
  }

  public BreakerPolicy withFailureRatePercent(int value) {
    return new BreakerPolicy(value, slidingWindowCalls, minimumCalls, openFor, halfOpenCalls);
  }

  /** A window of {@code calls} calls that judges once it is {@code minimum} calls full. */
  public BreakerPolicy withSlidingWindow(int calls, int minimum) {
    return new BreakerPolicy(failureRatePercent, calls, minimum, openFor, halfOpenCalls);
  }

  public BreakerPolicy withOpenFor(Duration value) {
    return new BreakerPolicy(
        failureRatePercent, slidingWindowCalls, minimumCalls, value, halfOpenCalls);
  }

  public BreakerPolicy withHalfOpenCalls(int value) {
    return new BreakerPolicy(failureRatePercent, slidingWindowCalls, minimumCalls, openFor, value);
  }
}
