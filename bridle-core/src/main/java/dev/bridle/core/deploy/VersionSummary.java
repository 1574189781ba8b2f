package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a workflow, side by side with others ({@code bridle workflows compare}): its runs
 * and how they ended, its suites, what humans did with its proposals, what it cost and how people
 * rated it.
 *
 * @param runs how many of its runs were read
 * @param outcomes runs by status
 * @param suites the newest result of each suite, newest first
 * @param approvals humans' approval decisions and the streak
 * @param agreement shadow and approval agreement
 * @param tokens input plus output tokens of all its runs
 * @param costUsd what its priced model calls cost
 * @param unpricedModelCalls model calls without a price
 * @param feedback its ratings
 */
public record VersionSummary(
    String workflow,
    String version,
    int runs,
    Map<RunStatus, Integer> outcomes,
    List<EvaluationRecord> suites,
    ApprovalStreak approvals,
    Agreement agreement,
    long tokens,
    BigDecimal costUsd,
    int unpricedModelCalls,
    FeedbackSummary feedback) {

  public VersionSummary {
    Texts.workflow(workflow);
    Objects.requireNonNull(version, "version");
    EnumMap<RunStatus, Integer> copy = new EnumMap<>(RunStatus.class);
    copy.putAll(outcomes);
    outcomes = Collections.unmodifiableMap(copy);
    suites = List.copyOf(suites);
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(agreement, "agreement");
    Objects.requireNonNull(costUsd, "costUsd");
    Objects.requireNonNull(feedback, "feedback");
  }

  /** The summary of {@code version} in {@code evidence}. */
  public static VersionSummary of(WorkflowEvidence evidence, String version) {
    WorkflowEvidence own = evidence.ofVersion(version);
    Map<RunStatus, Integer> outcomes = new EnumMap<>(RunStatus.class);
    long tokens = 0;
    BigDecimal cost = BigDecimal.ZERO;
    int unpriced = 0;
    for (RunFacts run : own.runs()) {
      outcomes.merge(run.status(), 1, Integer::sum);
      tokens += run.tokens();
      cost = cost.add(run.costUsd());
      unpriced += run.unpricedModelCalls();
    }
    return new VersionSummary(
        evidence.workflow(),
        version,
        own.runs().size(),
        outcomes,
        own.latestSuites(),
        own.approvals(),
        own.agreement(),
        tokens,
        cost,
        unpriced,
        own.feedbackSummary());
  }

  /** The lowest pass rate among the newest result of each suite; empty without suites. */
  public Optional<Double> lowestSuitePassRate() {
    return suites.stream().map(EvaluationRecord::passRate).min(Double::compare);
  }

  /** The mean cost of a run in US dollars, to 6 decimals; empty without runs. */
  public Optional<BigDecimal> costPerRun() {
    return runs == 0
        ? Optional.empty()
        : Optional.of(costUsd.divide(BigDecimal.valueOf(runs), 6, RoundingMode.HALF_UP));
  }

  /** How many runs ended with {@code status}. */
  public int count(RunStatus status) {
    return outcomes.getOrDefault(status, 0);
  }
}
