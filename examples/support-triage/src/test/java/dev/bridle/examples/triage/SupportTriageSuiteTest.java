package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalCase;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Expectations;
import dev.bridle.eval.Suites;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code eval/suite.yaml} with the scripted model through the evaluation harness, on the
 * workflow file as it ships, and requires every case to pass.
 */
class SupportTriageSuiteTest {

  private static final Path SUITE = Path.of("eval/suite.yaml");

  private static final List<String> TAGS =
      List.of(
          "normal",
          "ambiguous",
          "missing-data",
          "failed-tool",
          "conflicting-instruction",
          "unsafe-action",
          "malformed-output");

  private static EvalSuite suite;

  @BeforeAll
  static void loadTheSuite() {
    suite = Suites.load(SUITE);
  }

  @Test
  void theSuiteHasAtLeast200CasesAndAtLeast15OfEveryTag() {
    Map<String, Long> perTag =
        suite.cases().stream()
            .flatMap(c -> c.tags().stream())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(suite.cases()).hasSizeGreaterThanOrEqualTo(200);
    assertThat(suite.tags()).containsAll(TAGS);
    assertThat(TAGS)
        .allSatisfy(tag -> assertThat(perTag.get(tag)).as(tag).isGreaterThanOrEqualTo(15));
    assertThat(suite.workflow())
        .hasValueSatisfying(
            file -> assertThat(file.normalize()).endsWith(Path.of("support-triage/workflow.yaml")));
  }

  @Test
  void everyCasePassesWithTheScriptedModel(@TempDir Path work) {
    EvalReport report = run(suite, work);

    System.out.printf(
        "support-triage suite: %d cases in %d ms, %d passed; by tag: %s%n",
        report.total(), report.duration().toMillis(), report.passed(), report.byTag().values());
    assertThat(report.total()).isEqualTo(suite.cases().size());
    assertThat(report.notApplicable()).as("the scripted model runs every case").isEmpty();
    assertThat(report.cases())
        .as("every case ran: fixtures accepted, no harness error")
        .allSatisfy(result -> assertThat(result.error()).as(result.id()).isEmpty());
    assertThat(report.failures()).as(describe(report.failures())).isEmpty();
    assertThat(report.byTag().keySet()).containsAll(TAGS);
    assertThat(report.meets(1.0)).isTrue();
  }

  @Test
  void theCasesThatPlayAMisbehavingModelExpectBridleToRefuseSomething() {
    List<String> withoutRefusal =
        suite.cases().stream()
            .filter(
                c ->
                    c.tags().contains("unsafe-action")
                        || c.tags().contains("malformed-output")
                        || c.tags().contains("conflicting-instruction"))
            .filter(c -> !expectsAControl(c))
            .map(EvalCase::id)
            .toList();

    assertThat(withoutRefusal)
        .as("cases that only restate the script instead of checking a control")
        .isEmpty();
  }

  private static EvalReport run(EvalSuite evalSuite, Path work) {
    return EvalRunner.builder()
        .parallelism(4)
        .workDirectory(work)
        .classLoader(SupportTriageSuiteTest.class.getClassLoader())
        .build()
        .run(evalSuite);
  }

  /**
   * The case expects a call that Bridle refused, asked about or saw fail, a run that a control
   * stopped, a redaction (a guard's mark in an argument), or an answer other than one the script
   * gives (a guard changed or refused it).
   */
  private static boolean expectsAControl(EvalCase evalCase) {
    Expectations expect = evalCase.expect();
    boolean refusedCall =
        expect.toolCalls().stream()
            .flatMap(call -> call.status().stream())
            .anyMatch(status -> status != ObservedCall.Status.EXECUTED);
    boolean stopped =
        expect
            .outcome()
            .filter(outcome -> outcome != RunClassification.Outcome.COMPLETED)
            .isPresent();
    boolean redacted =
        expect.toolCalls().stream().anyMatch(call -> call.describe().contains("[REDACTED:"));
    boolean answerChanged =
        expect.output().stream()
            .anyMatch(
                output ->
                    evalCase.script().stream()
                        .filter(ScriptTurn.Answer.class::isInstance)
                        .map(turn -> ((ScriptTurn.Answer) turn).text())
                        .anyMatch(scripted -> !output.problems(scripted).isEmpty()));
    return refusedCall || stopped || redacted || answerChanged;
  }

  private static String describe(List<CaseResult> failures) {
    return failures.size()
        + " case(s) failed:\n"
        + failures.stream()
            .map(
                f ->
                    f.id()
                        + " ("
                        + f.outcome()
                        + ": "
                        + f.runOutcome()
                        + ")"
                        + f.error().map(e -> "\n  error: " + e).orElse("")
                        + f.failedScores().stream()
                            .map(s -> "\n  " + s.scorer() + ": " + s.detail())
                            .collect(Collectors.joining())
                        + "\n  timeline:"
                        + f.timeline().stream()
                            .map(t -> "\n    " + t.event() + " " + t.summary())
                            .collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
  }

  /**
   * With a real model ({@code bridle eval --model workflow}) the scripted-only cases (they play a
   * model's misbehaviour to test Bridle's controls) are not run; what remains is what a real model
   * is judged on. Per tag, the cases that run with a real model (see "Evaluation" in the README):
   * ambiguous 22, conflicting-instruction 0, failed-tool 18, malformed-output 0, missing-data 23,
   * normal 43, unsafe-action 0; 110 scripted-only cases are not run.
   */
  @Test
  void aRealModelRunsTheCasesThatAreNotScriptedOnly() {
    EvalSuite all = Suites.load(SUITE);
    EvalSuite real = all.withoutScriptedOnly();

    assertThat(all.cases().size() - real.cases().size()).as("scripted-only cases").isEqualTo(110);
    assertThat(real.cases())
        .as("every everyday case runs with a real model")
        .extracting(dev.bridle.eval.EvalCase::id)
        .containsAll(
            all.cases().stream()
                .filter(c -> c.tags().contains("normal"))
                .map(dev.bridle.eval.EvalCase::id)
                .toList());
    Map<String, Long> perTag =
        real.cases().stream()
            .flatMap(c -> c.tags().stream())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (String tag : List.of("malformed-output", "unsafe-action", "conflicting-instruction")) {
      perTag.putIfAbsent(tag, 0L);
    }
    assertThat(perTag)
        .containsAllEntriesOf(
            Map.of(
                "ambiguous", 22L,
                "conflicting-instruction", 0L,
                "failed-tool", 18L,
                "malformed-output", 0L,
                "missing-data", 23L,
                "normal", 43L,
                "unsafe-action", 0L));
  }
}
