package dev.bridle.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of running a suite: every case's result in suite order, with totals and pass rates
 * overall and per tag. {@link #meets(double)} is the gate {@code bridle eval --min-pass} applies.
 *
 * <p>The totals, pass rates and gate count the cases that ran. With a real model, the suite's
 * {@code scripted-only} cases do not run: they are listed in {@link #notApplicable()} and count
 * nowhere else.
 *
 * @param suite the suite's name
 * @param workflow the workflow's name and version ({@code lead-enrichment@1})
 * @param model the model that played the cases ({@code scripted} when each case's script did)
 * @param startedAt when the first case started
 * @param duration how long the evaluation took
 * @param cases the results of the cases that ran, in suite order
 * @param notApplicable the cases not run because they do not apply to the model (the {@code
 *     scripted-only} cases, when a real model played), in suite order
 */
public record EvalReport(
    String suite,
    String workflow,
    String model,
    Instant startedAt,
    Duration duration,
    List<CaseResult> cases,
    List<NotApplicableCase> notApplicable) {

  public EvalReport {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    cases = List.copyOf(cases);
    notApplicable = List.copyOf(notApplicable);
  }

  /** A report in which every case ran. */
  public EvalReport(
      String suite,
      String workflow,
      String model,
      Instant startedAt,
      Duration duration,
      List<CaseResult> cases) {
    this(suite, workflow, model, startedAt, duration, cases, List.of());
  }

  /** The cases that ran. */
  public int total() {
    return cases.size();
  }

  public int passed() {
    return (int) cases.stream().filter(CaseResult::passed).count();
  }

  public int failed() {
    return total() - passed();
  }

  /** The share of cases that passed, 0 to 1 (0 for a report without cases). */
  public double passRate() {
    return cases.isEmpty() ? 0 : (double) passed() / total();
  }

  /** The cases that failed, in suite order. */
  public List<CaseResult> failures() {
    return cases.stream().filter(c -> !c.passed()).toList();
  }

  /** Per tag, sorted by tag: how many cases carry it and how many of those passed. */
  public SortedMap<String, TagResult> byTag() {
    SortedMap<String, int[]> counts = new TreeMap<>();
    for (CaseResult result : cases) {
      for (String tag : result.tags()) {
        int[] count = counts.computeIfAbsent(tag, t -> new int[2]);
        count[0]++;
        if (result.passed()) {
          count[1]++;
        }
      }
    }
    SortedMap<String, TagResult> byTag = new TreeMap<>();
    counts.forEach((tag, count) -> byTag.put(tag, new TagResult(tag, count[0], count[1])));
    return byTag;
  }

  /**
   * Whether the pass rate is at least {@code minPassRate}.
   *
   * @throws IllegalArgumentException when {@code minPassRate} is not between 0 and 1
   */
  public boolean meets(double minPassRate) {
    if (!(minPassRate >= 0 && minPassRate <= 1)) {
      throw new IllegalArgumentException(
          "the minimum pass rate is between 0 and 1, but was " + minPassRate);
    }
    // compared in counts, so that 9 of 10 meets 0.9 whatever the rounding of 9.0 / 10
    return !cases.isEmpty() && passed() >= minPassRate * total() - 1e-9;
  }
}
