package dev.bridle.core.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of running an evaluation suite against one version of a workflow, as {@code bridle
 * eval} records it ({@link DeploymentEvidence#recordEvaluation}). The latest result of each suite
 * is the suite evidence of {@link Readiness}.
 *
 * @param workflow the workflow evaluated
 * @param version the version of the workflow evaluated
 * @param suite the suite's name
 * @param total how many cases ran (at least 1)
 * @param passed how many passed (0 to {@code total})
 * @param at when it finished
 * @param by who (or which CI job) ran it
 */
public record EvaluationRecord(
    String workflow, String version, String suite, int total, int passed, Instant at, String by) {

  /** The longest suite name. */
  public static final int MAX_SUITE_CHARS = 200;

  public EvaluationRecord {
    Texts.workflow(workflow);
    if (version == null || version.isBlank() || version.length() > 64) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "an evaluation's version must be 1 to 64 characters, but was '"
              + Texts.cut(version, 80)
              + "'");
    }
    if (suite == null || suite.isBlank() || suite.length() > MAX_SUITE_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "an evaluation's suite must be 1 to "
              + MAX_SUITE_CHARS
              + " characters, but was '"
              + Texts.cut(suite, 80)
              + "'");
    }
    if (total < 1) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "an evaluation's total must be at least 1 (a suite that ran no case is no evidence), but"
              + " was "
              + total);
    }
    if (passed < 0 || passed > total) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "an evaluation's passed must be between 0 and its total ("
              + total
              + "), but was "
              + passed);
    }
    Objects.requireNonNull(at, "at");
    Texts.actor("by", by);
  }

  /** {@code passed / total}, 0 to 1. */
  public double passRate() {
    return (double) passed / total;
  }
}
