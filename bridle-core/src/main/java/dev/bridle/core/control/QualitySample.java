package dev.bridle.core.control;

import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * One observation of a workflow's quality: a run that ended, or an evaluation. A store keeps each
 * id once, so recording the same run twice (a retry after a crash) counts it once.
 *
 * @param id unique within the workflow: {@code run:<runId>} or {@code evaluation:<id>}; 1 to 200
 *     characters
 * @param at when it happened (a run's end, an evaluation's time)
 * @param signal what it said
 */
public record QualitySample(String id, Instant at, QualitySignal signal) {

  /** The longest accepted id. */
  public static final int MAX_ID_LENGTH = 200;

  public QualitySample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(signal, "signal");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "a quality sample id must have 1 to "
              + MAX_ID_LENGTH
              + " characters and not be blank, but was '"
              + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
              + "'");
    }
  }

  /** The sample of run {@code runId}, which ended at {@code at}. */
  public static QualitySample ofRun(RunId runId, Instant at, QualitySignal signal) {
    return new QualitySample("run:" + runId.value(), at, signal);
  }

  /**
   * The sample of an evaluation: {@link QualitySignal#PASSED} or {@link
   * QualitySignal#EVALUATION_FAILED}.
   */
  public static QualitySample ofEvaluation(String evaluationId, Instant at, boolean passed) {
    Objects.requireNonNull(evaluationId, "evaluationId");
    return new QualitySample(
        "evaluation:" + evaluationId,
        at,
        passed ? QualitySignal.PASSED : QualitySignal.EVALUATION_FAILED);
  }
}
