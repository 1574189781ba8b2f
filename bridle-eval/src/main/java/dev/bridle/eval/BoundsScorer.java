package dev.bridle.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code expect.max-steps} and {@code expect.max-cost-usd}: the run stayed within its bounds. */
final class BoundsScorer implements Scorer {

  static final String NAME = "bounds";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    Optional<Integer> maxSteps = run.evalCase().expect().maxSteps();
    Optional<BigDecimal> maxCost = run.evalCase().expect().maxCostUsd();
    if (maxSteps.isEmpty() && maxCost.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    List<String> within = new ArrayList<>();
    int steps = run.result().steps();
    maxSteps.ifPresent(
        max -> {
          if (steps > max) {
            problems.add(steps + " model calls, more than max-steps " + max);
          } else {
            within.add(steps + " of at most " + max + " model calls");
          }
        });
    maxCost.ifPresent(
        max -> {
          if (run.costUsd().isEmpty()) {
            problems.add(
                "the cost is unknown (a model without a price used tokens), so max-cost-usd "
                    + max.toPlainString()
                    + " cannot be checked; give the model's price in the workflow's budgets.prices");
          } else if (run.costUsd().get().compareTo(max) > 0) {
            problems.add(
                "$"
                    + run.costUsd().get().toPlainString()
                    + ", more than max-cost-usd $"
                    + max.toPlainString());
          } else {
            within.add(
                "$" + run.costUsd().get().toPlainString() + " of at most $" + max.toPlainString());
          }
        });
    return Optional.of(
        problems.isEmpty()
            ? Score.pass(NAME, String.join("; ", within))
            : Score.fail(NAME, String.join("; ", problems)));
  }
}
