package dev.bridle.eval;

import dev.bridle.core.evaluation.ObservedCall;
import java.util.List;
import java.util.Optional;

/** {@code expect.no-calls}: none of these tools ran (successfully or not). */
final class NoCallsScorer implements Scorer {

  static final String NAME = "no-calls";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    List<String> forbidden = run.evalCase().expect().noCalls();
    if (forbidden.isEmpty()) {
      return Optional.empty();
    }
    List<ObservedCall> ran =
        run.calls().stream().filter(c -> forbidden.contains(c.tool()) && c.ran()).toList();
    if (ran.isEmpty()) {
      return Optional.of(Score.pass(NAME, "none of " + String.join(", ", forbidden) + " ran"));
    }
    return Optional.of(
        Score.fail(
            NAME,
            ran.stream()
                    .map(c -> c.tool() + " ran with " + Timeline.abbreviate(c.arguments(), 200))
                    .reduce((a, b) -> a + "; " + b)
                    .orElseThrow()
                + ", which the case forbids"));
  }
}
