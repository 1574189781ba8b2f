package dev.bridle.eval;

/**
 * What an {@link EvalRunner} reports while it works, to {@link
 * EvalRunner.Builder#onProgress(java.util.function.Consumer)}. Delivered one at a time (never
 * concurrently), from the runner's worker threads.
 */
public sealed interface EvalProgress {

  /** A case started; {@code total} cases run in all. */
  record CaseStarted(String caseId, int total) implements EvalProgress {}

  /** A case finished; {@code done} of {@code total} are finished now. */
  record CaseFinished(CaseResult result, int done, int total) implements EvalProgress {}
}
