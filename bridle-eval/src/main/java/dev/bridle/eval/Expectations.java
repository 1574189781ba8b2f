package dev.bridle.eval;

import dev.bridle.core.evaluation.OutputCheck;
import dev.bridle.core.evaluation.RunClassification;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a case expects of its run ({@code expect:}); each kind is checked by one built-in {@link
 * Scorer}.
 *
 * @param outcome the class of the run ({@code outcome})
 * @param toolCalls calls that must appear in this order, others allowed between ({@code
 *     tool-calls})
 * @param noCalls tools that must not have run ({@code no-calls})
 * @param output checks on the final answer ({@code output})
 * @param maxSteps at most this many model calls ({@code max-steps})
 * @param maxCostUsd at most this many dollars of model calls ({@code max-cost-usd})
 * @param graded the rubric a grader model judges the answer by ({@code graded})
 */
public record Expectations(
    Optional<RunClassification.Outcome> outcome,
    List<ExpectedCall> toolCalls,
    List<String> noCalls,
    Optional<OutputCheck> output,
    Optional<Integer> maxSteps,
    Optional<BigDecimal> maxCostUsd,
    Optional<String> graded) {

  public Expectations {
    Objects.requireNonNull(outcome, "outcome");
    toolCalls = List.copyOf(toolCalls);
    noCalls = List.copyOf(noCalls);
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(maxSteps, "maxSteps");
    Objects.requireNonNull(maxCostUsd, "maxCostUsd");
    Objects.requireNonNull(graded, "graded");
  }

  /** Whether nothing is expected. */
  public boolean isEmpty() {
    return outcome.isEmpty()
        && toolCalls.isEmpty()
        && noCalls.isEmpty()
        && output.isEmpty()
        && maxSteps.isEmpty()
        && maxCostUsd.isEmpty()
        && graded.isEmpty();
  }
}
