package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.deploy.ReadinessSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The readiness thresholds, each defaulting to {@link ReadinessSettings#DEFAULT}'s. */
final class WorkflowsReadinessOptions {

  @Option(
      names = "--agreement-rate",
      paramLabel = "RATE",
      description = "The shadow agreement PROPOSE needs, 0 to 1 (default 0.9).")
  Double agreementRate;

  @Option(
      names = "--minimum-comparisons",
      paramLabel = "N",
      description = "How many comparisons the agreement needs before it counts (default 50).")
  Integer minimumComparisons;

  @Option(
      names = "--suite-pass-rate",
      paramLabel = "RATE",
      description =
          "The pass rate the latest result of every suite needs for SUPERVISED and AUTONOMOUS,"
              + " 0 to 1 (default 0.95).")
  Double suitePassRate;

  @Option(
      names = "--supervised-streak",
      paramLabel = "N",
      description = "Approvals in a row without an edit that SUPERVISED needs (default 100).")
  Integer supervisedStreak;

  @Option(
      names = "--autonomous-streak",
      paramLabel = "N",
      description = "Approvals in a row without an edit that AUTONOMOUS needs (default 300).")
  Integer autonomousStreak;

  /** The settings these options make; a value out of range is a usage error that names it. */
  ReadinessSettings settings(CommandLine.Model.CommandSpec spec) {
    ReadinessSettings defaults = ReadinessSettings.DEFAULT;
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
