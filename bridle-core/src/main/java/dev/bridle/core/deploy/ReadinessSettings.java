package dev.bridle.core.deploy;

import dev.bridle.core.ConfigurationException;
import java.util.Locale;

/**
 * The thresholds of {@link Readiness}. Immutable; start from {@link #DEFAULT} and change what
 * differs with the {@code with} methods. The names in messages are the command line's option names
 * without the dashes in front.
 *
 * @param agreementRate the shadow agreement a workflow needs for PROPOSE (above 0, at most 1;
 *     default 0.9)
 * @param minimumComparisons how many comparisons the agreement needs before it counts (at least 1;
 *     default 50)
 * @param suitePassRate the pass rate the latest result of every suite needs for SUPERVISED and
 *     AUTONOMOUS (above 0, at most 1; default 0.95)
 * @param supervisedStreak the approvals in a row without an edit that SUPERVISED needs (at least 1;
 *     default 100)
 * @param autonomousStreak the approvals in a row without an edit that AUTONOMOUS needs (at least
 *     {@code supervisedStreak}; default 300)
 */
public record ReadinessSettings(
    double agreementRate,
    int minimumComparisons,
    double suitePassRate,
    int supervisedStreak,
    int autonomousStreak) {

  /** Agreement 90% over at least 50 comparisons, suites 95%, streaks of 100 and 300. */
  public static final ReadinessSettings DEFAULT = new ReadinessSettings(0.9, 50, 0.95, 100, 300);

  public ReadinessSettings {
    requireRate("agreement-rate", agreementRate);
    if (minimumComparisons < 1) {
      throw new ConfigurationException(
          "readiness minimum-comparisons must be at least 1, but was " + minimumComparisons);
    }
    requireRate("suite-pass-rate", suitePassRate);
    if (supervisedStreak < 1) {
      throw new ConfigurationException(
          "readiness supervised-streak must be at least 1, but was " + supervisedStreak);
    }
    if (autonomousStreak < supervisedStreak) {
      throw new ConfigurationException(
          "readiness autonomous-streak must be at least supervised-streak ("
              + supervisedStreak
              + "), but was "
              + autonomousStreak);
    }
  }

  public ReadinessSettings withAgreementRate(double rate) {
    return new ReadinessSettings(
        rate, minimumComparisons, suitePassRate, supervisedStreak, autonomousStreak);
  }

  public ReadinessSettings withMinimumComparisons(int comparisons) {
    return new ReadinessSettings(
        agreementRate, comparisons, suitePassRate, supervisedStreak, autonomousStreak);
  }

  public ReadinessSettings withSuitePassRate(double rate) {
    return new ReadinessSettings(
        agreementRate, minimumComparisons, rate, supervisedStreak, autonomousStreak);
  }

  /** The streaks SUPERVISED and AUTONOMOUS need. */
  public ReadinessSettings withStreaks(int supervised, int autonomous) {
    return new ReadinessSettings(
        agreementRate, minimumComparisons, suitePassRate, supervised, autonomous);
  }

  /** The settings in one line, for the record of a mode change. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "agreement-rate %s over min %d comparisons, suite-pass-rate %s, supervised-streak %d,"
            + " autonomous-streak %d",
        Texts.percent(agreementRate),
        minimumComparisons,
        Texts.percent(suitePassRate),
        supervisedStreak,
        autonomousStreak);
  }

  private static void requireRate(String name, double rate) {
    if (!(rate > 0 && rate <= 1)) {
      throw new ConfigurationException(
          "readiness " + name + " must be above 0 and at most 1, but was " + rate);
    }
  }
}
