package dev.bridle.core.run;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.evaluation.OutputCheck;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.workflow.Percentage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Online checks on a share of a workflow's production runs (docs/evaluation.md, "Continuous
 * evaluation"): when a run in the sample ends, its outcome, answer, steps and cost are checked, the
 * verdict is journaled as {@link RunEvent.EvaluationScored}, and the agent's quality breaker counts
 * it. The checks mean what they mean in an evaluation suite: they are built on the same primitives
 * ({@link RunClassification}, {@link OutputCheck}).
 *
 * <pre>{@code
 * ContinuousEvaluation online =
 *     ContinuousEvaluation.builder()
 *         .sample(Percentage.parse("10%"))
 *         .outcomes(RunClassification.Outcome.COMPLETED, RunClassification.Outcome.CLARIFICATION)
 *         .output(OutputCheck.builder().notContains("http://").build())
 *         .maxSteps(8)
 *         .build();
 * Agent agent = agentBuilder.continuousEvaluation(online).build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class ContinuousEvaluation {

  private final Percentage sample;
  private final Set<RunClassification.Outcome> outcomes;
  private final Optional<OutputCheck> output;
  private final Optional<Integer> maxSteps;
  private final Optional<BigDecimal> maxCostUsd;
  private final List<String> refusalMarkers;

  private ContinuousEvaluation(Builder builder) {
    this.sample = builder.sample;
    this.outcomes =
        builder.outcomes.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(builder.outcomes));
    this.output = Optional.ofNullable(builder.output);
    this.maxSteps = Optional.ofNullable(builder.maxSteps);
    this.maxCostUsd = Optional.ofNullable(builder.maxCostUsd);
    this.refusalMarkers = List.copyOf(builder.refusalMarkers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The share of runs that are checked. */
  public Percentage sample() {
    return sample;
  }

  /** The classes of outcome a run may end with; empty: any. */
  public Set<RunClassification.Outcome> outcomes() {
    return outcomes;
  }

  /** The checks on the final answer, if any. */
  public Optional<OutputCheck> output() {
    return output;
  }

  /** The most model calls a run may make, if checked. */
  public Optional<Integer> maxSteps() {
    return maxSteps;
  }

  /** The most dollars a run's model calls may cost, if checked. */
  public Optional<BigDecimal> maxCostUsd() {
    return maxCostUsd;
  }

  /** The phrases that make an answer a refusal, for the outcome check. */
  public List<String> refusalMarkers() {
    return refusalMarkers;
  }

  /**
   * Whether run {@code runId} of {@code workflow} is in the sample: decided by a hash of the run id
   * (its bucket for {@code evaluation:<workflow>}), so the same run is in or out on every node, and
   * independently of the run's rollout.
   */
  public boolean samples(String workflow, RunId runId) {
    return sample.includes("evaluation:" + workflow, runId);
  }

  /**
   * Scores a run that ended with {@code outcome} after {@code steps} model calls, from its events.
   */
  public RunEvent.EvaluationScored score(
      RunOutcome outcome, List<RunEvent> events, int steps, Instant at) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(events, "events");
    List<RunEvent.EvaluationCheck> checks = new ArrayList<>();
    if (!outcomes.isEmpty()) {
      checks.add(outcomeCheck(outcome, events));
    }
    output.ifPresent(check -> checks.add(outputCheck(check, outcome)));
    maxSteps.ifPresent(max -> checks.add(stepsCheck(steps, max)));
    maxCostUsd.ifPresent(max -> checks.add(costCheck(events, max)));
    boolean passed = checks.stream().allMatch(RunEvent.EvaluationCheck::passed);
    return new RunEvent.EvaluationScored(at, sample.toString(), passed, checks);
  }

  private RunEvent.EvaluationCheck outcomeCheck(RunOutcome outcome, List<RunEvent> events) {
    RunClassification actual = RunClassification.of(outcome, events, refusalMarkers);
    if (outcomes.contains(actual.outcome())) {
      return new RunEvent.EvaluationCheck(
          "outcome", true, actual.outcome().key() + ": " + actual.reason());
    }
    return new RunEvent.EvaluationCheck(
        "outcome",
        false,
        "it was "
            + actual.outcome().key()
            + " ("
            + actual.reason()
            + "); allowed: "
            + outcomes.stream()
                .map(RunClassification.Outcome::key)
                .collect(Collectors.joining(", ")));
  }

  /** The answer passes the checks; a run without an answer fails them, as in a suite. */
  private static RunEvent.EvaluationCheck outputCheck(OutputCheck check, RunOutcome outcome) {
    if (!(outcome instanceof RunOutcome.Completed completed)) {
      return new RunEvent.EvaluationCheck(
          "output", false, "the run gave no final answer to check (" + outcome.message() + ")");
    }
    List<String> problems = check.problems(completed.answer());
    return problems.isEmpty()
        ? new RunEvent.EvaluationCheck("output", true, "the answer passes " + check)
        : new RunEvent.EvaluationCheck("output", false, String.join("; ", problems));
  }

  private static RunEvent.EvaluationCheck stepsCheck(int steps, int max) {
    return steps > max
        ? new RunEvent.EvaluationCheck(
            "max-steps", false, steps + " model calls, more than max-steps " + max)
        : new RunEvent.EvaluationCheck(
            "max-steps", true, steps + " of at most " + max + " model calls");
  }

  private static RunEvent.EvaluationCheck costCheck(List<RunEvent> events, BigDecimal max) {
    Optional<BigDecimal> cost = costOf(events);
    if (cost.isEmpty()) {
      return new RunEvent.EvaluationCheck(
          "max-cost-usd",
          false,
          "the cost is unknown (a model without a price used tokens), so max-cost-usd "
              + max.toPlainString()
              + " cannot be checked; give the model's price in the workflow's budgets.prices");
    }
    return cost.get().compareTo(max) > 0
        ? new RunEvent.EvaluationCheck(
            "max-cost-usd",
            false,
            "$" + cost.get().toPlainString() + ", more than max-cost-usd $" + max.toPlainString())
        : new RunEvent.EvaluationCheck(
            "max-cost-usd",
            true,
            "$" + cost.get().toPlainString() + " of at most $" + max.toPlainString());
  }

  /** What the model calls cost; empty when a model without a price used tokens. */
  private static Optional<BigDecimal> costOf(List<RunEvent> events) {
    BigDecimal total = BigDecimal.ZERO;
    for (RunEvent event : events) {
      if (event instanceof RunEvent.ModelResponded responded) {
        if (responded.costUsd() != null) {
          total = total.add(responded.costUsd());
        } else if (responded.usage().totalTokens() > 0) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(total);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("sample " + sample);
    if (!outcomes.isEmpty()) {
      parts.add(
          "outcome "
              + outcomes.stream()
                  .map(RunClassification.Outcome::key)
                  .collect(Collectors.joining("|")));
    }
    output.ifPresent(o -> parts.add(o.toString()));
    maxSteps.ifPresent(m -> parts.add("max-steps " + m));
    maxCostUsd.ifPresent(m -> parts.add("max-cost-usd " + m.toPlainString()));
    return "ContinuousEvaluation[" + String.join(", ", parts) + "]";
  }

  /**
   * Builds a {@link ContinuousEvaluation}; {@link #build()} names what is missing or wrong. The
   * keys are those of a workflow file's {@code evaluation:} section.
   */
  public static final class Builder {
    private Percentage sample;
    private final Set<RunClassification.Outcome> outcomes =
        EnumSet.noneOf(RunClassification.Outcome.class);
    private OutputCheck output;
    private Integer maxSteps;
    private BigDecimal maxCostUsd;
    private List<String> refusalMarkers = RunClassification.DEFAULT_REFUSAL_MARKERS;

    private Builder() {}

    /** The share of runs to check; required. */
    public Builder sample(Percentage sample) {
      this.sample = Objects.requireNonNull(sample, "sample");
      return this;
    }

    /** The classes of outcome a run may end with (default: any). */
    public Builder outcomes(RunClassification.Outcome... allowed) {
      outcomes.addAll(Arrays.asList(allowed));
      return this;
    }

    /** Checks on the final answer; a run without one fails them. */
    public Builder output(OutputCheck check) {
      this.output = Objects.requireNonNull(check, "check");
      return this;
    }

    /** The most model calls a run may make. */
    public Builder maxSteps(int max) {
      if (max < 1) {
        throw new ConfigurationException("max-steps must be at least 1, but was " + max);
      }
      this.maxSteps = max;
      return this;
    }

    /** The most dollars a run's model calls may cost; the models need prices. */
    public Builder maxCostUsd(BigDecimal max) {
      Objects.requireNonNull(max, "max");
      if (max.signum() < 0) {
        throw new ConfigurationException(
            "max-cost-usd must be 0 or more dollars, but was " + max.toPlainString());
      }
      this.maxCostUsd = max;
      return this;
    }

    /** Phrases that make an answer a refusal (default {@code DEFAULT_REFUSAL_MARKERS}). */
    public Builder refusalMarkers(List<String> markers) {
      this.refusalMarkers = List.copyOf(markers);
      return this;
    }

    public ContinuousEvaluation build() {
      if (sample == null) {
        throw new ConfigurationException(
            "continuous evaluation needs a sample, the share of runs to check (e.g. 10%)");
      }
      if (outcomes.isEmpty() && output == null && maxSteps == null && maxCostUsd == null) {
        throw new ConfigurationException(
            "continuous evaluation checks nothing; give at least one of outcome, output,"
                + " max-steps or max-cost-usd");
      }
      return new ContinuousEvaluation(this);
    }
  }
}
