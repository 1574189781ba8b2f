package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Score;
import dev.bridle.eval.Suites;
import dev.bridle.eval.TimelineEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's evaluation suite ({@code eval/suite.yaml}) run through the harness with the
 * scripted model: the workflow file as it is, each case on its own isolated ledger.
 */
class ExpenseApprovalSuiteTest {

  private static final Path SUITE = Path.of("eval", "suite.yaml");

  /** The tags of docs/evaluation.md that every example suite covers. */
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
  private static EvalReport report;

  @BeforeAll
  static void runTheSuite(@TempDir Path work) {
    suite = Suites.load(SUITE);
    report = EvalRunner.builder().parallelism(4).workDirectory(work).build().run(suite);
  }

  @Test
  void theSuiteEvaluatesThisWorkflowFile() {
    assertThat(suite.name()).isEqualTo("expense-approval");
    assertThat(suite.workflow())
        .hasValueSatisfying(
            file ->
                assertThat(file.toAbsolutePath().normalize())
                    .isEqualTo(WorkflowFile.PATH.toAbsolutePath().normalize()));
    assertThat(report.workflow()).isEqualTo("expense-approval@1");
    assertThat(report.model()).isEqualTo("scripted");
  }

  @Test
  void theSuiteHasAtLeast200CasesAndEveryTagAtLeast15Times() {
    Map<String, Long> perTag =
        suite.cases().stream()
            .flatMap(c -> c.tags().stream())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(suite.cases()).hasSizeGreaterThanOrEqualTo(200);
    assertThat(suite.tags()).containsAll(TAGS);
    for (String tag : TAGS) {
      assertThat(perTag.get(tag)).as("cases tagged %s", tag).isGreaterThanOrEqualTo(15);
    }
    assertThat(suite.cases()).allSatisfy(c -> assertThat(c.script()).isNotEmpty());
  }

  @Test
  void everyCasePassesWithTheScriptedModel() {
    List<CaseResult> failures = report.failures();

    assertThat(report.total()).isEqualTo(suite.cases().size());
    assertThat(report.notApplicable()).as("the scripted model runs every case").isEmpty();
    assertThat(failures).as(describe(failures)).isEmpty();
  }

  @Test
  void everyCaseExpectsSomethingOfWhatBridleDid() {
    // an outcome or a call's status is what Bridle decided; output checks alone would only restate
    // the script's answer
    assertThat(suite.cases())
        .allSatisfy(
            c ->
                assertThat(c.expect().outcome().isPresent() || !c.expect().toolCalls().isEmpty())
                    .as("case %s expects an outcome or tool calls", c.id())
                    .isTrue());
  }

  // ---- reporting ----

  private static String describe(List<CaseResult> failures) {
    if (failures.isEmpty()) {
      return "";
    }
    return failures.size()
        + " of "
        + report.total()
        + " cases failed:\n\n"
        + failures.stream()
            .map(ExpenseApprovalSuiteTest::describe)
            .collect(Collectors.joining("\n\n"));
  }

  private static String describe(CaseResult result) {
    StringBuilder text = new StringBuilder();
    text.append("case ")
        .append(result.id())
        .append(' ')
        .append(result.tags())
        .append(": ")
        .append(result.outcome())
        .append(" (")
        .append(result.runOutcome())
        .append(")\n");
    result.error().ifPresent(error -> text.append("  error: ").append(error).append('\n'));
    for (Score score : result.failedScores()) {
      text.append("  ")
          .append(score.scorer())
          .append(": ")
          .append(score.detail().replace("\n", "\n    "))
          .append('\n');
    }
    result.answer().ifPresent(answer -> text.append("  answer: ").append(answer).append('\n'));
    for (TimelineEntry entry : result.timeline()) {
      text.append("    ")
          .append(entry.seq())
          .append(' ')
          .append(entry.event())
          .append(": ")
          .append(entry.summary())
          .append('\n');
    }
    return text.toString();
  }

  /**
   * With a real model ({@code bridle eval --model workflow}) the scripted-only cases (they play a
   * model's misbehaviour to test Bridle's controls) are not run; what remains is what a real model
   * is judged on. Per tag, the cases that run with a real model (see "Evaluation" in the README):
   * ambiguous 14, conflicting-instruction 4, failed-tool 17, malformed-output 0, missing-data 7,
   * normal 53, unsafe-action 0; 147 scripted-only cases are not run.
   */
  @Test
  void aRealModelRunsTheCasesThatAreNotScriptedOnly() {
    EvalSuite all = Suites.load(SUITE);
    EvalSuite real = all.withoutScriptedOnly();

    assertThat(all.cases().size() - real.cases().size()).as("scripted-only cases").isEqualTo(147);
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
                "ambiguous", 14L,
                "conflicting-instruction", 4L,
                "failed-tool", 17L,
                "malformed-output", 0L,
                "missing-data", 7L,
                "normal", 53L,
                "unsafe-action", 0L));
  }
}
