package dev.bridle.eval;

import dev.bridle.core.model.ChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in scorers, one per kind of expectation (docs/evaluation.md, "Scorers"). Each applies
 * only to cases that expect what it checks.
 */
public final class Scorers {

  private Scorers() {}

  /** {@code expect.outcome}: the run's class of outcome. */
  public static Scorer outcome() {
    return new OutcomeScorer();
  }

  /** {@code expect.tool-calls}: the expected calls were made, in this order. */
  public static Scorer toolCalls() {
    return new ToolCallsScorer();
  }

  /** {@code expect.no-calls}: these tools did not run. */
  public static Scorer noCalls() {
    return new NoCallsScorer();
  }

  /** {@code expect.output}: the checks on the final answer. */
  public static Scorer output() {
    return new OutputScorer();
  }

  /** {@code expect.max-steps} and {@code expect.max-cost-usd}. */
  public static Scorer bounds() {
    return new BoundsScorer();
  }

  /**
   * {@code expect.graded}: {@code grader} judges the answer against the rubric and replies with
   * {@code {"pass": true|false, "reason": "..."}}; any other reply fails the case.
   */
  public static Scorer graded(ChatModel grader) {
    return new GradedScorer(grader);
  }

  /** Every built-in scorer; {@code graded} only with a grader. */
  public static List<Scorer> builtIn(Optional<ChatModel> grader) {
    List<Scorer> scorers =
        new ArrayList<>(List.of(outcome(), toolCalls(), noCalls(), output(), bounds()));
    grader.ifPresent(model -> scorers.add(graded(model)));
    return List.copyOf(scorers);
  }
}
