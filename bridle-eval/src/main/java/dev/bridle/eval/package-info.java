/**
 * The evaluation harness: suites of cases ({@code docs/evaluation.md}), scorers, the parallel
 * runner on isolated tool data, and the report {@code bridle eval} prints and gates on.
 *
 * <h2>Running a suite</h2>
 *
 * <pre>{@code
 * EvalSuite suite = Suites.load(Path.of("evals/suite.yaml"));   // YAML, or JSON Lines (.jsonl)
 * EvalReport report =
 *     EvalRunner.builder()
 *         .parallelism(4)                         // cases at once (default: cores, at most 4)
 *         .onProgress(p -> ...)                   // EvalProgress.CaseStarted / CaseFinished
 *         .build()
 *         .run(suite);                            // the workflow the suite names
 * assertThat(report.failures()).isEmpty();        // or report.meets(0.95), report.byTag()
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.bridle.eval.Suites} reads suite files into an {@link dev.bridle.eval.EvalSuite}
 *       of {@link dev.bridle.eval.EvalCase}s: defaults merged, templates expanded, everything
 *       checked; problems are a {@link dev.bridle.eval.SuiteException} naming the file, the case
 *       and the key.
 *   <li>{@link dev.bridle.eval.EvalRunner} runs the cases. Each gets a temporary directory (deleted
 *       afterwards), its tools from each provider's {@code isolatedTools(fixtures, directory)}, an
 *       in-memory journal, spend store and rate limiter, and a model: the one given with {@link
 *       dev.bridle.eval.EvalRunner.Builder#model}, else a scripted model playing the case's {@code
 *       script}. The {@link dev.bridle.eval.SimulatedHuman} answers approvals and the run resumes.
 *       Optional: {@code workflow(definition)} instead of the suite's, {@code grader(model)} for
 *       {@code graded} rubrics, {@code scorer(custom)}, {@code services(...)} for guard hooks and
 *       the clock, {@code classLoader}, {@code workDirectory}.
 *   <li>The built-in {@link dev.bridle.eval.Scorer}s ({@link dev.bridle.eval.Scorers}: outcome,
 *       tool-calls, no-calls, output, bounds, graded) each judge one kind of expectation, seeing
 *       the run as a {@link dev.bridle.eval.CaseRun}. The check primitives are shared with
 *       production code in {@code dev.bridle.core.evaluation}.
 *   <li>{@link dev.bridle.eval.EvalReport}: per case a {@link dev.bridle.eval.CaseResult} (passed,
 *       class of outcome, {@link dev.bridle.eval.Score}s with details, steps, cost, run id, answer,
 *       the run's {@link dev.bridle.eval.TimelineEntry timeline}, or the error that kept it from
 *       running); totals, the pass rate overall and per tag, and the gate {@link
 *       dev.bridle.eval.EvalReport#meets(double)}.
 * </ul>
 */
package dev.bridle.eval;
