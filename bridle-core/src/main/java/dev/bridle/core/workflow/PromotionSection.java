package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.deploy.ReadinessSettings;

/**
 * The {@code promotion:} section as written, bound by Jackson: the thresholds the workflow's
 * evidence must meet to be ready for the next deployment mode (docs/deployment.md). Every key is
 * optional; {@link #toSettings} starts from {@link ReadinessSettings#DEFAULT}, checks each value
 * with the rules {@link ReadinessSettings} enforces and names the line of a bad one.
 */
record PromotionSection(
    @JsonProperty("agreement") JsonNode agreement,
    @JsonProperty("min-comparisons") JsonNode minComparisons,
    @JsonProperty("suite-pass-rate") JsonNode suitePassRate,
    @JsonProperty("supervised-streak") JsonNode supervisedStreak,
    @JsonProperty("autonomous-streak") JsonNode autonomousStreak) {

  private static final String SECTION = "promotion";

  ReadinessSettings toSettings(SourceFile source) {
    ReadinessSettings defaults = ReadinessSettings.DEFAULT;
    double agreementRate = rate(source, "agreement", agreement, defaults.agreementRate());
    int comparisons =
        count(source, "min-comparisons", minComparisons, defaults.minimumComparisons());
    double suiteRate = rate(source, "suite-pass-rate", suitePassRate, defaults.suitePassRate());
    int supervised =
        count(source, "supervised-streak", supervisedStreak, defaults.supervisedStreak());
    int autonomous =
        count(source, "autonomous-streak", autonomousStreak, defaults.autonomousStreak());
    if (autonomous < supervised) {
      String key = autonomousStreak != null ? "autonomous-streak" : "supervised-streak";
      throw source.problem(
          SECTION + "." + key,
          "autonomous-streak must be at least supervised-streak ("
              + supervised
              + "), but was "
              + autonomous);
    }
    try {
      return new ReadinessSettings(agreementRate, comparisons, suiteRate, supervised, autonomous);
    } catch (ConfigurationException e) {
      throw source.problem(SECTION, e.getMessage());
    }
  }

  /** A share above 0% and at most 100%, written as a percentage ({@code 90%}, {@code 97.5%}). */
  private static double rate(SourceFile source, String key, JsonNode value, double otherwise) {
    if (value == null) {
      return otherwise;
    }
    Percentage share = source.percentage(SECTION, key, value);
    if (share.basisPoints() == 0) {
      throw source.problem(
          SECTION + "." + key, key + " must be above 0% and at most 100%, but was " + share);
    }
    return share.basisPoints() / (double) Percentage.BUCKETS;
  }

  /** A whole number of at least 1. */
  private static int count(SourceFile source, String key, JsonNode value, int otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw source.problem(
          SECTION + "." + key, key + " must be a whole number of at least 1, but was " + value);
    }
    if (value.intValue() < 1) {
      throw source.problem(
          SECTION + "." + key, key + " must be at least 1, but was " + value.intValue());
    }
    return value.intValue();
  }
}
