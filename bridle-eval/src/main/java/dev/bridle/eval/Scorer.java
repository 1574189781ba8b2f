package dev.bridle.eval;

import java.util.Optional;

/**
 * Judges one aspect of a case's run. The built-in scorers are in {@link Scorers}; applications add
 * their own with {@link EvalRunner.Builder#scorer(Scorer)}. A case passes when every score it gets
 * passes. Scorers run on the runner's worker threads and must be thread-safe.
 */
public interface Scorer {

  /** The name reports show ({@code outcome}, {@code tool-calls}, ...). */
  String name();

  /**
   * The score of {@code run}, or empty when this scorer does not apply to its case (the case
   * expects nothing it checks). An exception counts as a failed score naming it.
   */
  Optional<Score> score(CaseRun run);
}
