package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous evaluation through {@code bridle run} on SQLite: a sampled run's online checks are in
 * its journal, and the workflow's quality breaker in the same database counts them.
 */
class ContinuousEvaluationCommandTest {

  @TempDir Path dir;

  private Path workflow(String answer) throws Exception {
    Path file = dir.resolve("answers.yaml");
    Files.writeString(
        file,
        """
        name: answers
        version: "2"
        goal: Answer a question about a record.
        model: {provider: scripted, name: answers}
        tools: [cli-governance-test]
        effect-cap: EXTERNAL
        evaluation:
          sample: 100%%
          checks:
            outcome: [completed]
            output: {contains: [record], not-contains: ["http://"]}
            max-steps: 3
        script:
          - say: "%s"
        """
            .formatted(answer));
    return file;
  }

  private String db() {
    return "sqlite:" + dir.resolve("bridle.db");
  }

  private String run(Path workflow) throws Exception {
    CliHarness.Execution ran =
        CliHarness.execute(
            "run", workflow.toString(), "--input", "what about R-1?", "--db", db(), "--json");
    assertThat(ran.exitCode()).as(ran.err()).isEqualTo(ExitCode.OK);
    return ran.json().path("runId").asText();
  }

  private JsonNode breaker() throws Exception {
    CliHarness.Execution status =
        CliHarness.execute("breaker", "status", "--workflow", "answers", "--db", db(), "--json");
    assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
    return status.json().path("breakers").get(0);
  }

  @Test
  void aSampledRunIsScoredJournaledAndCountedByTheQualityBreaker() throws Exception {
    String good = run(workflow("The record R-1 is open."));
    String bad = run(workflow("See http://example.org/R-1"));

    CliHarness.Execution shown = CliHarness.execute("runs", "show", bad, "--db", db());
    assertThat(shown.out())
        .contains("EvaluationScored")
        .contains(
            "FAILED the online checks (sample 100%): outcome ok, output failed (the answer does"
                + " not contain 'record'; the answer contains 'http://', which it must not),"
                + " max-steps ok");
    JsonNode events =
        CliHarness.execute("runs", "show", good, "--db", db(), "--json").json().path("events");
    JsonNode scored = events.get(events.size() - 1).path("event");
    assertThat(scored.path("type").asText()).isEqualTo("EvaluationScored");
    assertThat(scored.path("passed").asBoolean()).isTrue();
    assertThat(events.get(events.size() - 2).path("event").path("type").asText())
        .isEqualTo("RunCompleted");

    // two runs that completed (two passed samples) and two evaluations, one failed
    JsonNode window = breaker().path("window");
    assertThat(window.path("samples").asInt()).isEqualTo(4);
    assertThat(window.path("failures").asInt()).isEqualTo(1);
  }
}
