package dev.bridle.cli;

import static dev.bridle.cli.RunCommandTest.TICKET;
import static dev.bridle.cli.RunCommandTest.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridle runs list|show} and {@code bridle resume} over the durable SQLite store. */
class RunsCommandTest {

  @TempDir static Path storeDir;

  static CliHarness.Execution bridle(String... args) {
    return CliHarness.bridle(storeDir, args);
  }

  private String runScripted() throws Exception {
    CliHarness.Execution run =
        bridle(
            "run",
            WORKFLOW.toString(),
            "--input",
            TICKET,
            "--model",
            "scripted",
            "--user",
            "dana",
            "--json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    return run.json().path("runId").asText();
  }

  @Test
  void listsRunsNewestFirstWithFilters() throws Exception {
    String first = runScripted();
    String second = runScripted();

    JsonNode runs = bridle("runs", "list", "--user", "dana", "--json").json();

    assertThat(runs.findValuesAsText("runId")).containsSubsequence(second, first);
    JsonNode row = runs.get(runs.findValuesAsText("runId").indexOf(first));
    assertThat(row.path("status").asText()).isEqualTo("completed");
    assertThat(row.path("workflow").asText()).isEqualTo("support-triage");
    assertThat(row.path("steps").asInt()).isEqualTo(5);
    assertThat(row.path("task").asText()).isEqualTo(TICKET);
    assertThat(bridle("runs", "list", "--status", "FAILED", "--user", "dana", "--json").json())
        .isEmpty();
    assertThat(bridle("runs", "list").out()).contains(first).contains("completed");
  }

  @Test
  void showsTheWholeTimelineOfARun() throws Exception {
    String runId = runScripted();

    CliHarness.Execution text = bridle("runs", "show", runId);
    JsonNode json = bridle("runs", "show", runId, "--json").json();

    assertThat(text.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .contains("Run " + runId + "  support-triage@1  completed  user dana")
        .contains("RunStarted")
        .contains("ToolCallStarted")
        .contains("[PROPOSE, idempotent] key " + runId + "/call_1_1")
        .contains("RunCompleted")
        .containsPattern("Definition: sha256:[0-9a-f]{64}  model scripted:support-triage");
    assertThat(json.path("definitionHash").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(json.path("definitionHash").asText())
        .isEqualTo(json.path("events").get(0).path("event").path("definitionHash").asText());
    assertThat(json.path("modelId").asText()).isEqualTo("scripted:support-triage");
    // RunStarted, 5 model responses, 5 calls proposed + decided by policy + started + completed,
    // RunCompleted, and the workflow's online checks (it checks every run: evaluation.sample 100%)
    assertThat(json.path("events")).hasSize(28);
    assertThat(json.path("events").get(26).path("event").path("type").asText())
        .isEqualTo("RunCompleted");
    assertThat(json.path("events").get(27).path("event").path("type").asText())
        .isEqualTo("EvaluationScored");
    assertThat(json.path("events").get(27).path("event").path("passed").asBoolean()).isTrue();
    assertThat(json.path("events").get(0).path("event").path("type").asText())
        .isEqualTo("RunStarted");
    assertThat(json.path("events").size())
        .isEqualTo(json.path("events").get(json.path("events").size() - 1).path("seq").asInt());
  }

  @Test
  void resumingACompletedRunReturnsItsOutcome() throws Exception {
    String runId = runScripted();
    int events = bridle("runs", "show", runId, "--json").json().path("events").size();

    CliHarness.Execution resumed =
        bridle("resume", runId, "--workflow", WORKFLOW.toString(), "--model", "scripted");

    assertThat(resumed.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(resumed.out()).contains("Run " + runId + ": completed");
    assertThat(bridle("runs", "show", runId, "--json").json().path("events")).hasSize(events);
  }

  @Test
  void pruneDeletesOnlyRunsThatEndedBeforeTheCutoff() throws Exception {
    String runId = runScripted();

    assertThat(bridle("runs", "prune", "--ended-before", "1h").out())
        .startsWith("Deleted 0 run(s)");
    assertThat(bridle("runs", "show", runId).exitCode()).isEqualTo(ExitCode.OK);
    assertThat(bridle("runs", "prune", "--ended-before", "0s").out())
        .doesNotStartWith("Deleted 0 ");
    assertThat(bridle("runs", "show", runId).exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bridle("runs", "prune", "--ended-before", "soon").err())
        .contains("'soon' is not a duration");
  }

  @Test
  void resumeContinuesAnInterruptedRunUnderItsOwnLease() throws Exception {
    String db = "sqlite:" + storeDir.resolve("bridle.db");
    RunId runId = RunId.of("run-interrupted");
    try (RunStore store = RunStores.open(db)) {
      store.append(
          runId,
          0,
          new RunEvent.RunStarted(
              Instant.now(),
              "support-triage",
              "1",
              "agent:support-triage@1",
              "dana",
              "",
              TICKET,
              "scripted:support-triage"));
    }

    CliHarness.Execution resumed =
        bridle("resume", runId.value(), "--workflow", WORKFLOW.toString(), "--model", "scripted");

    assertThat(resumed.exitCode()).isEqualTo(ExitCode.OK);
    JsonNode events = bridle("runs", "show", runId.value(), "--json").json().path("events");
    assertThat(events.get(1).path("event").path("type").asText()).isEqualTo("RunResumed");
    assertThat(events.get(1).path("event").path("by").asText()).startsWith("cli:");
    // its start was recorded without a definition hash, as runs of earlier Bridles were
    assertThat(bridle("runs", "show", runId.value()).out())
        .contains("Definition: not recorded (the run started before Bridle recorded definition");
  }

  @Test
  void resumeKeepsOffARunAWorkerHolds() throws Exception {
    String db = "sqlite:" + storeDir.resolve("bridle.db");
    RunId runId = RunId.of("run-held");
    RunQueue queue = RunStores.openQueue(db);
    try (RunStore store = queue.store()) {
      queue.submit(runId, "support-triage", TICKET, "dana", Clock.systemUTC());
      assertThat(
              queue.claim(
                  "node-x", Set.of("support-triage"), Instant.now(), Duration.ofMinutes(10)))
          .isPresent();
    }

    CliHarness.Execution resumed =
        bridle("resume", runId.value(), "--workflow", WORKFLOW.toString(), "--model", "scripted");

    assertThat(resumed.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(resumed.err()).contains("is being worked on by a worker node");
  }

  @Test
  void unknownRunsAreUsageErrors() {
    assertThat(bridle("runs", "show", "run-nope").err())
        .isEqualTo("bridle: no run run-nope in the store" + System.lineSeparator());
    assertThat(
            bridle("resume", "run-nope", "--workflow", WORKFLOW.toString(), "--model", "scripted")
                .exitCode())
        .isEqualTo(ExitCode.USAGE);
  }
}
