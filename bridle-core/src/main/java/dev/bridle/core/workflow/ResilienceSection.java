package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code resilience:} section of a workflow file as written, bound by Jackson. The names and
 * ranges are those of the model layer's {@code RetryPolicy}, {@code BreakerPolicy} and {@code
 * ResilientChatModel} ({@code docs/resilience.md}), checked here so that a mistake names its line.
 */
record ResilienceSection(
    @JsonProperty("max-attempts") Integer maxAttempts,
    @JsonProperty("initial-backoff") Duration initialBackoff,
    @JsonProperty("multiplier") Double multiplier,
    @JsonProperty("jitter") Double jitter,
    @JsonProperty("max-backoff") Duration maxBackoff,
    @JsonProperty("attempt-timeout") Duration attemptTimeout,
    @JsonProperty("call-deadline") Duration callDeadline,
    @JsonProperty("breaker") BreakerSection breaker) {

  ResilienceSection {
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 10)) {
      throw new IllegalArgumentException(
          "max-attempts must be between 1 and 10, but was " + maxAttempts);
    }
    atLeastOneMillisecond(initialBackoff, "initial-backoff");
    if (multiplier != null && !(multiplier >= 1.0 && Double.isFinite(multiplier))) {
      throw new IllegalArgumentException("multiplier must be at least 1, but was " + multiplier);
    }
    if (jitter != null && !(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException(
          "jitter must be at least 0 and below 1, but was " + jitter);
    }
    atLeastOneMillisecond(maxBackoff, "max-backoff");
    if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max-backoff must be at least initial-backoff ("
              + initialBackoff
              + "), but was "
              + maxBackoff);
    }
    atLeastOneMillisecond(attemptTimeout, "attempt-timeout");
    atLeastOneMillisecond(callDeadline, "call-deadline");
  }

  ResilienceSettings toSettings() {
    return new ResilienceSettings(
        Optional.ofNullable(maxAttempts),
        Optional.ofNullable(initialBackoff),
        Optional.ofNullable(multiplier),
        Optional.ofNullable(jitter),
        Optional.ofNullable(maxBackoff),
        Optional.ofNullable(attemptTimeout),
        Optional.ofNullable(callDeadline),
        breaker == null ? ResilienceSettings.Breaker.DEFAULT : breaker.toSettings());
  }

  record BreakerSection(
      @JsonProperty("failure-rate-percent") Integer failureRatePercent,
      @JsonProperty("sliding-window-calls") Integer slidingWindowCalls,
      @JsonProperty("minimum-calls") Integer minimumCalls,
      @JsonProperty("open-for") Duration openFor,
      @JsonProperty("half-open-calls") Integer halfOpenCalls) {

    BreakerSection {
      between(failureRatePercent, 1, 100, "failure-rate-percent");
      between(slidingWindowCalls, 1, 1000, "sliding-window-calls");
      between(
          minimumCalls, 1, slidingWindowCalls == null ? 1000 : slidingWindowCalls, "minimum-calls");
      atLeastOneMillisecond(openFor, "open-for");
      between(halfOpenCalls, 1, 100, "half-open-calls");
    }

    ResilienceSettings.Breaker toSettings() {
      return new ResilienceSettings.Breaker(
          Optional.ofNullable(failureRatePercent),
          Optional.ofNullable(slidingWindowCalls),
          Optional.ofNullable(minimumCalls),
          Optional.ofNullable(openFor),
          Optional.ofNullable(halfOpenCalls));
    }
  }

  private static void between(Integer value, int min, int max, String key) {
    if (value != null && (value < min || value > max)) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", but was " + value);
    }
  }

  private static void atLeastOneMillisecond(Duration value, String key) {
    if (value != null && value.toMillis() < 1) {
      throw new IllegalArgumentException(key + " must be at least 1ms, but was " + value);
    }
  }
}
