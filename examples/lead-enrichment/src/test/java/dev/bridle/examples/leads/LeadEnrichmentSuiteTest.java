package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalCase;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Score;
import dev.bridle.eval.Suites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's evaluation suite ({@code eval/suite.yaml}) through the real harness: every case
 * runs the workflow file as it is (policy, guards, limits) with the case's scripted model, on tools
 * over a private CRM seeded from the case's fixtures, and must pass.
 */
class LeadEnrichmentSuiteTest {

  private static final Path SUITE = Path.of("eval", "suite.yaml");
  private static final List<String> SPEC_TAGS =
      List.of(
          "normal",
          "ambiguous",
          "missing-data",
          "failed-tool",
          "conflicting-instruction",
          "unsafe-action",
          "malformed-output");
  private static final int MIN_CASES = 200;
  private static final int MIN_CASES_PER_TAG = 15;

  @TempDir Path dir;

  private Path defaultCrm;
  private String previousLocation;

  @BeforeEach
  void pointTheDefaultCrmAtAFileNoCaseMayOpen() {
    defaultCrm = dir.resolve("production/lead-crm.db");
    previousLocation = System.setProperty(LeadCrm.LOCATION_PROPERTY, defaultCrm.toString());
  }

  @AfterEach
  void restoreTheCrmLocation() {
    if (previousLocation == null) {
      System.clearProperty(LeadCrm.LOCATION_PROPERTY);
    } else {
      System.setProperty(LeadCrm.LOCATION_PROPERTY, previousLocation);
    }
  }

  @Test
  void theSuiteEvaluatesThisWorkflowWithEnoughCasesOfEveryTag() {
    EvalSuite suite = Suites.load(SUITE);

    assertThat(suite.name()).isEqualTo("lead-enrichment");
    assertThat(suite.workflow().map(file -> file.toAbsolutePath().normalize()))
        .as("the suite evaluates the example's own workflow file")
        .contains(WorkflowFile.PATH.toAbsolutePath().normalize());
    assertThat(suite.cases()).hasSizeGreaterThanOrEqualTo(MIN_CASES);
    assertThat(suite.cases()).extracting(EvalCase::id).doesNotHaveDuplicates();
    assertThat(suite.cases()).allSatisfy(c -> assertThat(c.script()).as(c.id()).isNotEmpty());
    Map<String, Long> perTag = casesPerTag(suite);
    assertThat(perTag).containsKeys(SPEC_TAGS.toArray(String[]::new));
    assertThat(SPEC_TAGS)
        .allSatisfy(
            tag ->
                assertThat(perTag.get(tag))
                    .as("cases tagged " + tag)
                    .isGreaterThanOrEqualTo(MIN_CASES_PER_TAG));
  }

  @Test
  void everyCasePassesWithTheScriptedModelAndNoneTouchesTheDefaultCrm() throws IOException {
    EvalSuite suite = Suites.load(SUITE);
    Path work = dir.resolve("work");

    EvalReport report =
        EvalRunner.builder()
            .parallelism(8)
            .classLoader(getClass().getClassLoader())
            .workDirectory(work)
            .build()
            .run(suite);

    assertThat(report.failures())
        .extracting(CaseResult::id)
        .as(() -> describe(report.failures()))
        .isEmpty();
    assertThat(report.total()).isEqualTo(suite.cases().size());
    assertThat(report.notApplicable()).as("the scripted model runs every case").isEmpty();
    assertThat(report.model()).isEqualTo("scripted");
    assertThat(report.workflow()).isEqualTo("lead-enrichment@1");
    assertThat(report.byTag().values())
        .filteredOn(tag -> SPEC_TAGS.contains(tag.tag()))
        .hasSize(SPEC_TAGS.size())
        .allSatisfy(tag -> assertThat(tag.passed()).as(tag.tag()).isEqualTo(tag.total()));
    assertThat(report.cases())
        .extracting(CaseResult::outcome)
        .as("the suite covers every class of outcome")
        .contains("completed", "needs-approval", "refused", "clarification", "safe-stop", "failed");
    assertThat(defaultCrm).as("no case opened the CRM at the default location").doesNotExist();
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).as("each case's directory is deleted").isEmpty();
    }
  }

  private static Map<String, Long> casesPerTag(EvalSuite suite) {
    return suite.cases().stream()
        .flatMap(c -> c.tags().stream())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  /** Each failing case: its id, how the run ended, the failed scores and the timeline. */
  private static String describe(List<CaseResult> failures) {
    StringBuilder text = new StringBuilder(failures.size() + " case(s) failed:");
    for (CaseResult failure : failures) {
      text.append("\n\n== ")
          .append(failure.id())
          .append(' ')
          .append(failure.tags())
          .append("\n   outcome: ")
          .append(failure.outcome())
          .append(" (")
          .append(failure.runOutcome())
          .append(')');
      failure.error().ifPresent(error -> text.append("\n   error: ").append(error));
      for (Score score : failure.failedScores()) {
        text.append("\n   ")
            .append(score.scorer())
            .append(": ")
            .append(score.detail().replace("\n", "\n     "));
      }
      failure.answer().ifPresent(answer -> text.append("\n   answer: ").append(answer));
      failure
          .timeline()
          .forEach(
              e ->
                  text.append("\n   | ")
                      .append(e.seq())
                      .append(". ")
                      .append(e.event())
                      .append(": ")
                      .append(e.summary()));
    }
    return text.toString();
  }

  /**
   * With a real model ({@code bridle eval --model workflow}) the scripted-only cases (they play a
   * model's misbehaviour to test Bridle's controls) are not run; what remains is what a real model
   * is judged on. Per tag, the cases that run with a real model (see "Evaluation" in the README):
   * ambiguous 21, conflicting-instruction 7, failed-tool 15, malformed-output 0, missing-data 18,
   * normal 48, oversized-input 2, unsafe-action 15; 97 scripted-only cases are not run.
   */
  @Test
  void aRealModelRunsTheCasesThatAreNotScriptedOnly() {
    EvalSuite all = Suites.load(SUITE);
    EvalSuite real = all.withoutScriptedOnly();

    assertThat(all.cases().size() - real.cases().size()).as("scripted-only cases").isEqualTo(97);
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
                "ambiguous", 21L,
                "conflicting-instruction", 7L,
                "failed-tool", 15L,
                "malformed-output", 0L,
                "missing-data", 18L,
                "normal", 48L,
                "oversized-input", 2L,
                "unsafe-action", 15L));
  }
}
