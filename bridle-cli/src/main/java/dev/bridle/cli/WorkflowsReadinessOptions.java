package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.deploy.ReadinessSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The readiness thresholds. Each option given overrides the same threshold of the workflow file's
 * {@code promotion:} section; a threshold neither gives is {@link ReadinessSettings#DEFAULT}'s.
 */
final class WorkflowsReadinessOptions {

  @Option(
      names = "--agreement-rate",
      paramLabel = "RATE",
      description =
          "The shadow agreement PROPOSE needs, 0 to 1 (default: the workflow file's promotion.agreement, else 0.9).")
  Double agreementRate;

  @Option(
      names = "--minimum-comparisons",
      paramLabel = "N",
      description =
          "How many comparisons the agreement needs before it counts (default: the file's promotion.min-comparisons, else 50).")
  Integer minimumComparisons;

  @Option(
      names = "--suite-pass-rate",
      paramLabel = "RATE",
      description =
          "The pass rate the latest result of every suite needs for SUPERVISED and AUTONOMOUS,"
              + " 0 to 1 (default: the file's promotion.suite-pass-rate, else 0.95).")
  Double suitePassRate;

  @Option(
      names = "--supervised-streak",
      paramLabel = "N",
      description =
          "Approvals in a row without an edit that SUPERVISED needs (default: the file's promotion.supervised-streak, else 100).")
  Integer supervisedStreak;

  @Option(
      names = "--autonomous-streak",
      paramLabel = "N",
      description =
          "Approvals in a row without an edit that AUTONOMOUS needs (default: the file's promotion.autonomous-streak, else 300).")
  Integer autonomousStreak;

  /**
   * The settings these options make over {@code base} (the workflow file's {@code promotion:}, else
   * the defaults): an option given wins, a threshold not given keeps {@code base}'s. A value out of
   * range is a usage error that names it.
   */
  ReadinessSettings settings(CommandLine.Model.CommandSpec spec, ReadinessSettings base) {
    ReadinessSettings defaults = base;
    try {
      return new ReadinessSettings(
          agreementRate == null ? defaults.agreementRate() : agreementRate,
          minimumComparisons == null ? defaults.minimumComparisons() : minimumComparisons,
          suitePassRate == null ? defaults.suitePassRate() : suitePassRate,
          supervisedStreak == null ? defaults.supervisedStreak() : supervisedStreak,
          autonomousStreak == null ? defaults.autonomousStreak() : autonomousStreak);
    } catch (ConfigurationException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
