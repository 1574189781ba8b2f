package dev.bridle.core.workflow;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workflow file's {@code resilience:} section says about calling its models: retries,
 * timeouts and the providers' circuit breakers. Each setting is optional; what is left out keeps
 * the default of the model layer ({@code docs/resilience.md}). The values were checked against the
 * documented ranges when the file was loaded.
 *
 * @param maxAttempts calls in all, the first included (1 to 10)
 * @param initialBackoff the wait after the first failure
 * @param multiplier the growth of the wait per attempt (at least 1)
 * @param jitter the random share of each wait (at least 0, below 1)
 * @param maxBackoff the longest wait, for backoff and for {@code Retry-After}
 * @param attemptTimeout the longest one attempt may take
 * @param callDeadline the longest a whole call may take, retries and waits included
 * @param breaker when a provider's circuit breaker opens
 */
public record ResilienceSettings(
    Optional<Integer> maxAttempts,
    Optional<Duration> initialBackoff,
    Optional<Double> multiplier,
    Optional<Double> jitter,
    Optional<Duration> maxBackoff,
    Optional<Duration> attemptTimeout,
    Optional<Duration> callDeadline,
    Breaker breaker) {

  /** Nothing set: every default of the model layer. */
  public static final ResilienceSettings DEFAULT =
      new ResilienceSettings(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Breaker.DEFAULT);

  public ResilienceSettings {
    Objects.requireNonNull(maxAttempts, "maxAttempts");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(multiplier, "multiplier");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(callDeadline, "callDeadline");
    Objects.requireNonNull(breaker, "breaker");
  }

  /**
   * A provider's circuit breaker. One breaker per provider is shared by the process, so these
   * settings apply to every workflow that states the same ones.
   *
   * @param failureRatePercent the failure rate that opens the breaker (1 to 100)
   * @param slidingWindowCalls how many recent calls the rate is taken over (1 to 1000)
   * @param minimumCalls calls needed in the window before it judges
   * @param openFor how long it stays open
   * @param halfOpenCalls trial calls once {@code openFor} is over (1 to 100)
   */
  public record Breaker(
      Optional<Integer> failureRatePercent,
      Optional<Integer> slidingWindowCalls,
      Optional<Integer> minimumCalls,
      Optional<Duration> openFor,
      Optional<Integer> halfOpenCalls) {

    /** Nothing set. */
    public static final Breaker DEFAULT =
        new Breaker(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public Breaker {
      Objects.requireNonNull(failureRatePercent, "failureRatePercent");
      Objects.requireNonNull(slidingWindowCalls, "slidingWindowCalls");
      Objects.requireNonNull(minimumCalls, "minimumCalls");
      Objects.requireNonNull(openFor, "openFor");
      Objects.requireNonNull(halfOpenCalls, "halfOpenCalls");
    }
  }
}
