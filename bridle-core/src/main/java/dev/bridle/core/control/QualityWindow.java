package dev.bridle.core.control;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The rolling window of a workflow's quality samples as last evaluated: how many samples it held
 * and how many of them were counted failures.
 *
 * @param samples the samples in the window (0 to the window size)
 * @param failures those whose signal counts as a failure
 * @param asOf when the window was evaluated (the last sample recorded, or the breaker closed)
 */
public record QualityWindow(int samples, int failures, Instant asOf) {

  public QualityWindow {
    Objects.requireNonNull(asOf, "asOf");
    if (samples < 0 || failures < 0 || failures > samples) {
      throw new IllegalArgumentException(
          "a quality window needs 0 <= failures <= samples, but had "
              + failures
              + " failures in "
              + samples
              + " samples");
    }
  }

  /** An empty window, evaluated at {@code asOf}. */
  public static QualityWindow empty(Instant asOf) {
    return new QualityWindow(0, 0, asOf);
  }

  /** The share of failures, 0 to 1; 0 for an empty window. */
  public double failureRate() {
    return samples == 0 ? 0 : (double) failures / samples;
  }

  /** {@code 6 of 10 failed (60%)}. */
  public String describe() {
    return failures + " of " + samples + " failed (" + percent(failureRate()) + ")";
  }

  /** A rate as a percentage: {@code 50%}, {@code 33.3%}. */
  static String percent(double rate) {
    double percent = rate * 100;
    return Math.abs(percent - Math.rint(percent)) < 0.05
        ? String.format(Locale.ROOT, "%.0f%%", percent)
        : String.format(Locale.ROOT, "%.1f%%", percent);
  }
}
