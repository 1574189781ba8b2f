package dev.bridle.eval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one case.
 *
 * @param outcome the run's class of outcome ({@code completed}, {@code refused}, ...), or {@code
 *     error} when the case could not run
 * @param runOutcome how the run ended, in words ({@code completed}, {@code suspended: ...})
 * @param scores one per scorer that applied
 * @param steps the run's model calls
 * @param costUsd what its model calls cost; empty when unknown
 * @param runId the run's id in the case's in-memory journal; empty when it did not start
 * @param answer the final answer, if it completed
 * @param timeline the run's journal, summarised
 * @param error why the case could not run (bad fixtures, a failing model); empty when it ran
 */
public record CaseResult(
    String id,
    List<String> tags,
    String description,
    boolean passed,
    String outcome,
    String runOutcome,
    List<Score> scores,
    int steps,
    Optional<BigDecimal> costUsd,
    Optional<String> runId,
    Optional<String> answer,
    List<TimelineEntry> timeline,
    Optional<String> error) {

  public CaseResult {
    Objects.requireNonNull(id, "id");
    tags = List.copyOf(tags);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(runOutcome, "runOutcome");
    scores = List.copyOf(scores);
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(answer, "answer");
    timeline = List.copyOf(timeline);
    Objects.requireNonNull(error, "error");
  }

  /** The scores that failed. */
  public List<Score> failedScores() {
    return scores.stream().filter(s -> !s.passed()).toList();
  }
}
