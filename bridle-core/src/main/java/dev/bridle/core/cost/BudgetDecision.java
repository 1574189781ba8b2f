package dev.bridle.core.cost;

import java.util.List;
import java.util.stream.Collectors;

/** What a budget check found: go ahead, go ahead but near a limit, or stop. */
public sealed interface BudgetDecision {

  /** A sentence for the journal. */
  String message();

  /** Every budget is below its soft threshold. */
  record Allowed() implements BudgetDecision {
    @Override
    public String message() {
      return "within budget";
    }
  }

  /** No hard limit is passed, but {@code crossings} are at or past their soft threshold. */
  record SoftExceeded(List<BudgetCrossing> crossings) implements BudgetDecision {
    public SoftExceeded {
      crossings = List.copyOf(crossings);
    }

    @Override
    public String message() {
      return join(crossings);
    }
  }

  /**
   * {@code crossings} pass their hard limit (or cannot be checked because the cost is unknown): the
   * call must not be made.
   */
  record HardExceeded(List<BudgetCrossing> crossings) implements BudgetDecision {
    public HardExceeded {
      crossings = List.copyOf(crossings);
    }

    @Override
    public String message() {
      return join(crossings);
    }
  }

  private static String join(List<BudgetCrossing> crossings) {
    return crossings.stream().map(BudgetCrossing::message).collect(Collectors.joining("; "));
  }
}
