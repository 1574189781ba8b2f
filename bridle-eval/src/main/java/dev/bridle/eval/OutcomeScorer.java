package dev.bridle.eval;

import java.util.Optional;

/** {@code expect.outcome}: the run's class of outcome is the expected one. */
final class OutcomeScorer implements Scorer {

  static final String NAME = "outcome";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    return run.evalCase()
        .expect()
        .outcome()
        .map(
            expected -> {
              var actual = run.classification();
              if (actual.outcome() == expected) {
                return Score.pass(NAME, expected.key() + ": " + actual.reason());
              }
              return Score.fail(
                  NAME,
                  "expected "
                      + expected.key()
                      + ", but it was "
                      + actual.outcome().key()
                      + ": "
                      + actual.reason());
            });
  }
}
