package dev.bridle.core.control;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a workflow's {@link QualityBreaker} opens, and what the requester is told while it is open.
 * Immutable; start from {@link #DEFAULT} and change what differs with the {@code with} methods. The
 * names in messages are the keys of a workflow file's {@code quality-breaker} section.
 *
 * <p>The window holds the newest {@code window-size} samples (runs that ended, evaluations) that
 * are younger than {@code window-duration} and newer than the last time an operator closed the
 * breaker. The breaker opens when the window holds at least {@code minimum-samples} and the share
 * of them whose signal is in {@code count} reaches {@code failure-rate}.
 *
 * @param windowSize the most samples in the window (1 to 1000; default 20)
 * @param windowDuration how old a sample may be and still count (positive; default 1 hour)
 * @param minimumSamples how many samples the window needs before it can open the breaker (1 to
 *     {@code windowSize}; default 10)
 * @param failureRate the share of counted failures that opens it (above 0, at most 1; default 0.5)
 * @param counted the signals that count as failures (not empty, not {@code passed}; default all but
 *     {@code budget})
 * @param message what the requester of a task is told while the breaker is open; {@code {workflow}}
 *     is replaced by the workflow's name (not blank, at most 1000 characters)
 */
public record QualityBreakerSettings(
    int windowSize,
    Duration windowDuration,
    int minimumSamples,
    double failureRate,
    Set<QualitySignal> counted,
    String message) {

  /** The most samples a window may hold. */
  public static final int MAX_WINDOW_SIZE = 1000;

  /** The longest message. */
  public static final int MAX_MESSAGE_LENGTH = 1000;

  /** The message requesters get unless the workflow sets its own. */
  public static final String DEFAULT_MESSAGE =
      "Your request could not be handled automatically right now: the {workflow} agent is paused"
          + " while its recent results are checked. It has been passed to a person instead."
          + " Nothing is lost: the request is kept and can be run again later.";

  /** 20 samples within an hour, at least 10, opens at 50%, counts every failure but budget. */
  public static final QualityBreakerSettings DEFAULT =
      new QualityBreakerSettings(
          20,
          Duration.ofHours(1),
          10,
          0.5,
          EnumSet.complementOf(EnumSet.of(QualitySignal.PASSED, QualitySignal.BUDGET)),
          DEFAULT_MESSAGE);

  public QualityBreakerSettings {
    if (windowSize < 1 || windowSize > MAX_WINDOW_SIZE) {
      throw new ConfigurationException(
          "quality-breaker window-size must be between 1 and "
              + MAX_WINDOW_SIZE
              + ", but was "
              + windowSize);
    }
    if (windowDuration == null || windowDuration.isNegative() || windowDuration.isZero()) {
      throw new ConfigurationException(
          "quality-breaker window-duration must be positive, but was " + windowDuration);
    }
    if (minimumSamples < 1 || minimumSamples > windowSize) {
      throw new ConfigurationException(
          "quality-breaker minimum-samples must be between 1 and window-size ("
              + windowSize
              + "), but was "
              + minimumSamples);
    }
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new ConfigurationException(
          "quality-breaker failure-rate must be above 0 and at most 1, but was " + failureRate);
    }
    if (counted == null || counted.isEmpty()) {
      throw new ConfigurationException(
          "quality-breaker count must name at least one signal; signals: " + failureNames());
    }
    if (counted.contains(QualitySignal.PASSED)) {
      throw new ConfigurationException(
          "quality-breaker count must not contain 'passed', which is no failure; signals: "
              + failureNames());
    }
    counted = Set.copyOf(EnumSet.copyOf(counted));
    if (message == null || message.isBlank() || message.length() > MAX_MESSAGE_LENGTH) {
      throw new ConfigurationException(
          "quality-breaker message must not be blank and have at most "
              + MAX_MESSAGE_LENGTH
              + " characters, but "
              + (message == null
                  ? "was missing"
                  : message.isBlank() ? "was blank" : "had " + message.length()));
    }
  }

  /** A window of {@code value} samples; lower {@code minimum-samples} first when shrinking it. */
  public QualityBreakerSettings withWindowSize(int value) {
    return new QualityBreakerSettings(
        value, windowDuration, minimumSamples, failureRate, counted, message);
  }

  public QualityBreakerSettings withWindowDuration(Duration value) {
    return new QualityBreakerSettings(
        windowSize, value, minimumSamples, failureRate, counted, message);
  }

  public QualityBreakerSettings withMinimumSamples(int value) {
    return new QualityBreakerSettings(
        windowSize, windowDuration, value, failureRate, counted, message);
  }

  public QualityBreakerSettings withFailureRate(double value) {
    return new QualityBreakerSettings(
        windowSize, windowDuration, minimumSamples, value, counted, message);
  }

  public QualityBreakerSettings withCounted(Set<QualitySignal> value) {
    return new QualityBreakerSettings(
        windowSize, windowDuration, minimumSamples, failureRate, value, message);
  }

  /**
   * The signals to count, by config name as a workflow file lists them ({@code [error, loop,
   * evaluation-failed]}).
   *
   * @throws ConfigurationException naming an unknown signal
   */
  public QualityBreakerSettings withCountedNames(List<String> names) {
    Set<QualitySignal> signals = EnumSet.noneOf(QualitySignal.class);
    for (String name : names) {
      try {
        signals.add(QualitySignal.fromConfigName(name));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("quality-breaker count: " + e.getMessage(), e);
      }
    }
    return withCounted(signals);
  }

  public QualityBreakerSettings withMessage(String value) {
    return new QualityBreakerSettings(
        windowSize, windowDuration, minimumSamples, failureRate, counted, value);
  }

  /** Whether {@code signal} counts as a failure. */
  public boolean counts(QualitySignal signal) {
    return counted.contains(signal);
  }

  /**
   * The oldest time a sample may have and still be in the window: the later of {@code now} minus
   * the window duration and the last close. A sample counts if it is strictly younger.
   */
  public Instant cutoff(Instant now, Instant windowStart) {
    Instant byAge = now.minus(windowDuration);
    return byAge.isAfter(windowStart) ? byAge : windowStart;
  }

  /**
   * The window over {@code newestFirst}, the signals of the samples younger than the {@link
   * #cutoff}, newest first; only the first {@code window-size} of them are in it.
   */
  public QualityWindow window(List<QualitySignal> newestFirst, Instant asOf) {
    int samples = Math.min(newestFirst.size(), windowSize);
    int failures = 0;
    for (int i = 0; i < samples; i++) {
      if (counts(newestFirst.get(i))) {
        failures++;
      }
    }
    return new QualityWindow(samples, failures, asOf);
  }

  /** Whether {@code window} opens the breaker: enough samples, and the rate reached. */
  public boolean trips(QualityWindow window) {
    return window.samples() >= minimumSamples
        && window.failures() >= failureRate * window.samples() - 1e-9;
  }

  /** Why {@code window} opened the breaker, for its log. */
  public String tripReason(QualityWindow window) {
    return "failure rate "
        + QualityWindow.percent(window.failureRate())
        + " ("
        + window.failures()
        + " of the last "
        + window.samples()
        + " samples) reached "
        + QualityWindow.percent(failureRate);
  }

  /** What the requester of a task of {@code workflow} is told while the breaker is open. */
  public String message(String workflow) {
    return message.replace("{workflow}", workflow);
  }

  /**
   * The rule in one line, e.g. {@code opens at 50% failures among the last 20 samples within 1h (at
   * least 10); counts error, loop}.
   */
  public String describe() {
    return "opens at "
        + QualityWindow.percent(failureRate)
        + " failures among the last "
        + windowSize
        + " samples within "
        + human(windowDuration)
        + " (at least "
        + minimumSamples
        + "); counts "
        + counted.stream()
            .sorted()
            .map(QualitySignal::configName)
            .collect(Collectors.joining(", "));
  }

  private static String human(Duration d) {
    if (d.toDaysPart() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + "d";
    }
    if (d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + "h";
    }
    if (d.equals(Duration.ofMinutes(d.toMinutes()))) {
      return d.toMinutes() + "m";
    }
    if (d.equals(Duration.ofSeconds(d.toSeconds()))) {
      return d.toSeconds() + "s";
    }
    return d.toString();
  }

  private static String failureNames() {
    return EnumSet.complementOf(EnumSet.of(QualitySignal.PASSED)).stream()
        .map(QualitySignal::configName)
        .collect(Collectors.joining(", "));
  }
}
