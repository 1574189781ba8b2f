package dev.bridle.eval;

import dev.bridle.core.evaluation.OutputCheck;
import java.util.List;
import java.util.Optional;

/** {@code expect.output}: the final answer passes the checks; a run without one fails them. */
final class OutputScorer implements Scorer {

  static final String NAME = "output";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    Optional<OutputCheck> check = run.evalCase().expect().output();
    if (check.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> answer = run.answer();
    if (answer.isEmpty()) {
      return Optional.of(
          Score.fail(
              NAME,
              "the run gave no final answer to check (" + run.result().outcome().message() + ")"));
    }
    List<String> problems = check.get().problems(answer.get());
    if (problems.isEmpty()) {
      return Optional.of(Score.pass(NAME, "the answer passes " + check.get()));
    }
    return Optional.of(
        Score.fail(
            NAME,
            String.join("; ", problems) + "\nanswer: " + Timeline.abbreviate(answer.get(), 500)));
  }
}
