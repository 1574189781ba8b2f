package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment commands end to end on a SQLite file, with runs made by the real agent through
 * {@code bridle run}: a human's decision on shadow runs, agreement, feedback, readiness, the
 * audited mode change that the next {@code bridle run} obeys, the mode log, version comparison.
 */
class WorkflowsCommandsTest {

  @TempDir Path dir;

  private String db;
  private Path shadowFile;
  private Path version2File;

  private static String workflow(String version, String mode) {
    return """
        name: cli-deploy
        version: "%s"
        goal: Close a record.
        model:
          provider: scripted
          name: deploy
        tools:
          - provider: cli-governance-test
            include: [set_status]
        effect-cap: WRITE
        policy:
          mode: %s
          rules:
            - {id: all, tools: "*", verdict: allow}
        script:
          - call: set_status
            args: {record: "{{task}}", status: closed}
          - say: "Closed the record."
        """
        .formatted(version, mode);
  }

  @BeforeEach
  void writeWorkflows() throws Exception {
    db = "sqlite:" + dir.resolve("bridle.db");
    shadowFile = dir.resolve("deploy.yaml");
    Files.writeString(shadowFile, workflow("1", "shadow"));
    version2File = dir.resolve("deploy-v2.yaml");
    Files.writeString(version2File, workflow("2", "shadow"));
  }

  private CliHarness.Execution bridle(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db", db));
    return CliHarness.execute(all.toArray(String[]::new));
  }

  /** Runs the workflow file for {@code record}; its run id, after asserting the exit code. */
  private String run(Path file, String record, int exitCode) throws Exception {
    CliHarness.Execution run =
        bridle("run", file.toString(), "--input", record, "--user", "dana", "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
    return run.json().path("runId").asText();
  }

  private static String closes(String record) {
    return "[{\"tool\": \"set_status\", \"arguments\": {\"status\": \"closed\", \"record\": \""
        + record
        + "\"}}]";
  }

  @Test
  void aHumansDecisionOnShadowRunsMakesTheAgreement() throws Exception {
    String agreed = run(shadowFile, "rec-s1", ExitCode.OK);
    String disagreed = run(shadowFile, "rec-s2", ExitCode.OK);
    String waiting = run(shadowFile, "rec-s3", ExitCode.OK);
    assertThat(GovernanceTestTools.status("rec-s1"))
        .as("shadow mode executes nothing")
        .isEqualTo("open");

    CliHarness.Execution recorded =
        bridle("shadow", "record", agreed, "--decision", closes("rec-s1"), "--as", "hugo");
    assertThat(recorded.exitCode()).as(recorded.err()).isEqualTo(ExitCode.OK);
    assertThat(recorded.out())
        .contains(
            "Recorded what hugo did for shadow run " + agreed + " of cli-deploy@1: 1 call(s)");
    assertThat(
            bridle("shadow", "record", disagreed, "--decision", "none", "--as", "hugo").exitCode())
        .isEqualTo(ExitCode.OK);

    CliHarness.Execution again = bridle("shadow", "record", agreed, "--decision", "none");
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("has a decision already, recorded by hugo");
    CliHarness.Execution bad =
        bridle(
            "shadow",
            "record",
            waiting,
            "--decision",
            "[{\"tool\": \"set_status\", \"arguments\": 1}]");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("decision[0].arguments must be a JSON object");
    assertThat(bridle("shadow", "record", "run-unknown", "--decision", "none").exitCode())
        .isEqualTo(ExitCode.USAGE);

    CliHarness.Execution text = bridle("shadow", "agreement", "--workflow", "cli-deploy");
    assertThat(text.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .contains("cli-deploy (all versions): agreement 1/2 (50.0%)")
        .contains("1 shadow run(s) ended without a recorded decision")
        .containsPattern("set_status\\s+1\\s+2\\s+50.0%");

    JsonNode json = bridle("shadow", "agreement", "--json").json().path("cli-deploy");
    assertThat(json.path("byTool").path("set_status").path("agreed").asInt()).isEqualTo(1);
    assertThat(json.path("byTool").path("set_status").path("compared").asInt()).isEqualTo(2);
    assertThat(json.path("shadowRunsCompared").asInt()).isEqualTo(2);
    assertThat(json.path("shadowRunsAwaitingDecision").asInt()).isEqualTo(1);
  }

  @Test
  void feedbackIsRecordedPerPersonAndShownPerVersion() throws Exception {
    String runId = run(shadowFile, "rec-f1", ExitCode.OK);

    CliHarness.Execution given =
        bridle(
            "feedback", runId, "--rating", "2", "--comment", "closed the wrong one", "--as", "bob");
    assertThat(given.exitCode()).as(given.err()).isEqualTo(ExitCode.OK);
    assertThat(given.out())
        .contains("Recorded a rating of bob for run " + runId + " of cli-deploy@1: 2/5")
        .contains("with a comment of 20 characters")
        .doesNotContain("wrong one");
    assertThat(bridle("feedback", runId, "--rating", "4", "--as", "bob").out())
        .startsWith("Replaced the earlier rating of bob");
    bridle("feedback", runId, "--rating", "5", "--as", "carol");

    CliHarness.Execution outOfRange = bridle("feedback", runId, "--rating", "7");
    assertThat(outOfRange.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(outOfRange.err())
        .contains("rating must be between 1 and 5 (1 bad, 5 good), but was 7");
    assertThat(bridle("feedback", "run-unknown", "--rating", "3").err())
        .contains("no run run-unknown");

    JsonNode status = bridle("workflows", "status", "cli-deploy", "--json").json();
    assertThat(status.path("feedback").path("count").asInt()).isEqualTo(2);
    assertThat(status.path("feedback").path("mean").asDouble()).isEqualTo(4.5);
  }

  @Test
  void aModeChangeIsAuditedAndTheNextRunObeysIt() throws Exception {
    run(shadowFile, "rec-m1", ExitCode.OK);

    CliHarness.Execution status = bridle("workflows", "status", shadowFile.toString());
    assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
    assertThat(status.out())
        .contains("cli-deploy@1  mode SHADOW (as its workflow file declares)")
        .contains("supported by the evidence: SHADOW")
        .contains("recommendation: stay in SHADOW; PROPOSE needs agreement-sample: 0 comparisons")
        .contains("missing  suite-pass-rate: no suite result for version 1");

    CliHarness.Execution changed =
        bridle(
            "workflows",
            "set-mode",
            shadowFile.toString(),
            "propose",
            "--reason",
            "pilot OPS-7",
            "--as",
            "ops:lee");
    assertThat(changed.exitCode()).as(changed.err()).isEqualTo(ExitCode.OK);
    assertThat(changed.out())
        .contains("Changed the mode of workflow cli-deploy: SHADOW → PROPOSE (change #1 by ops:lee")
        .contains("evidence: version 1 supports SHADOW; PROPOSE needs");

    // the file still says shadow: the override sends the write to a human now
    String runId = run(shadowFile, "rec-m2", ExitCode.SUSPENDED);
    assertThat(GovernanceTestTools.status("rec-m2")).isEqualTo("open");
    CliHarness.Execution approved =
        CliHarness.execute(
            "approvals",
            "approve",
            runId + "/call_1_1",
            "--as",
            "alice",
            "--workflow",
            shadowFile.toString(),
            "--db",
            db);
    assertThat(approved.exitCode()).as(approved.err()).isEqualTo(ExitCode.OK);
    assertThat(GovernanceTestTools.status("rec-m2")).isEqualTo("closed");

    JsonNode readiness = bridle("workflows", "status", "cli-deploy", "--json").json();
    assertThat(readiness.path("currentMode").asText()).isEqualTo("PROPOSE");
    assertThat(readiness.path("modeSource").asText()).isEqualTo("override");
    assertThat(readiness.path("override").path("by").asText()).isEqualTo("ops:lee");
    assertThat(readiness.path("approvals").path("streak").asInt()).isEqualTo(1);
    assertThat(readiness.path("agreement").path("approvals").path("agreed").asInt()).isEqualTo(1);

    CliHarness.Execution same =
        bridle("workflows", "set-mode", "cli-deploy", "propose", "--reason", "again");
    assertThat(same.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(same.out()).contains("is in PROPOSE already; nothing changed");

    CliHarness.Execution refused =
        bridle("workflows", "set-mode", "cli-deploy", "autonomous", "--reason", "ship it");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(refused.err())
        .contains("the evidence does not support AUTONOMOUS for cli-deploy@1")
        .contains("Change it anyway only with force");

    CliHarness.Execution forced =
        bridle(
            "workflows",
            "set-mode",
            "cli-deploy",
            "autonomous",
            "--reason",
            "humans away",
            "--force",
            "--as",
            "ops:kim");
    assertThat(forced.exitCode()).as(forced.err()).isEqualTo(ExitCode.OK);
    assertThat(forced.out())
        .contains("PROPOSE → AUTONOMOUS")
        .contains("FORCED against the evidence");
    run(shadowFile, "rec-m3", ExitCode.OK);
    assertThat(GovernanceTestTools.status("rec-m3"))
        .as("autonomous: the write runs")
        .isEqualTo("closed");

    JsonNode history = bridle("workflows", "history", "cli-deploy", "--json").json();
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("from").asText()).isEqualTo("PROPOSE");
    assertThat(history.get(0).path("to").asText()).isEqualTo("AUTONOMOUS");
    assertThat(history.get(0).path("forced").asBoolean()).isTrue();
    assertThat(history.get(0).path("by").asText()).isEqualTo("ops:kim");
    assertThat(history.get(1).path("from").asText()).isEqualTo("SHADOW");
    assertThat(history.get(1).path("reason").asText()).isEqualTo("pilot OPS-7");
    assertThat(bridle("workflows", "history").out())
        .contains("cli-deploy")
        .contains("PROPOSE → AUTONOMOUS")
        .contains("(FORCED): humans away");
    assertThat(bridle("audit", "--workflow", "cli-deploy").out())
        .contains("Mode changes (operator actions")
        .containsPattern("cli-deploy +propose → autonomous \\(forced\\) +ops:kim +humans away")
        .containsPattern("cli-deploy +shadow → propose +ops:lee +pilot OPS-7");
  }

  @Test
  void readinessAdvancesOnEvidenceWithThresholdsFromTheCommandLine() throws Exception {
    String a = run(shadowFile, "rec-r1", ExitCode.OK);
    String b = run(shadowFile, "rec-r2", ExitCode.OK);
    bridle("shadow", "record", a, "--decision", closes("rec-r1"));
    bridle("shadow", "record", b, "--decision", closes("rec-r2"));
    try (RunStore store = RunStores.open(db)) {
      RunStores.deploymentEvidence(store)
          .recordEvaluation(
              new EvaluationRecord("cli-deploy", "1", "regression", 20, 19, Instant.now(), "ci"));
    }

    JsonNode readiness =
        bridle("workflows", "status", shadowFile.toString(), "--minimum-comparisons", "2", "--json")
            .json();

    assertThat(readiness.path("supported").asText()).isEqualTo("PROPOSE");
    assertThat(readiness.path("recommendation").path("kind").asText()).isEqualTo("advance");
    assertThat(readiness.path("recommendation").path("mode").asText()).isEqualTo("PROPOSE");
    assertThat(readiness.path("suites").get(0).path("passRate").asDouble()).isEqualTo(0.95);
    assertThat(readiness.path("steps").get(1).path("checks").get(0).path("met").asBoolean())
        .isTrue();
    assertThat(readiness.path("settings").path("minimumComparisons").asInt()).isEqualTo(2);

    CliHarness.Execution wrong =
        bridle("workflows", "status", "cli-deploy", "--agreement-rate", "1.5");
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(wrong.err()).contains("agreement-rate must be above 0 and at most 1, but was 1.5");
  }

  @Test
  void statusUsesTheThresholdsOfTheWorkflowFileAndTheCommandLineOverridesThem() throws Exception {
    Path strict = dir.resolve("deploy-promotion.yaml");
    Files.writeString(
        strict,
        workflow("1", "shadow")
            + "promotion: {agreement: 100%, min-comparisons: 2, supervised-streak: 7}\n");
    String a = run(strict, "rec-p1", ExitCode.OK);
    String b = run(strict, "rec-p2", ExitCode.OK);
    bridle("shadow", "record", a, "--decision", closes("rec-p1"));
    bridle("shadow", "record", b, "--decision", closes("rec-p2"));

    JsonNode fromFile = bridle("workflows", "status", strict.toString(), "--json").json();
    assertThat(fromFile.path("settings").path("minimumComparisons").asInt()).isEqualTo(2);
    assertThat(fromFile.path("settings").path("agreementRate").asDouble()).isEqualTo(1.0);
    assertThat(fromFile.path("settings").path("supervisedStreak").asInt()).isEqualTo(7);
    assertThat(fromFile.path("settings").path("autonomousStreak").asInt())
        .as("a threshold the file does not name keeps its default")
        .isEqualTo(300);
    assertThat(fromFile.path("supported").asText())
        .as("2 of 2 agreed meets the file's 2 comparisons; the default 50 would not")
        .isEqualTo("PROPOSE");

    JsonNode overridden =
        bridle("workflows", "status", strict.toString(), "--minimum-comparisons", "3", "--json")
            .json();
    assertThat(overridden.path("settings").path("minimumComparisons").asInt()).isEqualTo(3);
    assertThat(overridden.path("settings").path("agreementRate").asDouble())
        .as("the options override only what they name")
        .isEqualTo(1.0);
    assertThat(overridden.path("supported").asText()).isEqualTo("SHADOW");

    JsonNode byName = bridle("workflows", "status", "cli-deploy", "--json").json();
    assertThat(byName.path("settings").path("minimumComparisons").asInt())
        .as("a bare name has no file to read thresholds from")
        .isEqualTo(50);
    assertThat(byName.path("supported").asText()).isEqualTo("SHADOW");

    // set-mode assesses a change with the file's thresholds too: the change records them
    CliHarness.Execution change =
        bridle(
            "workflows",
            "set-mode",
            strict.toString(),
            "propose",
            "--reason",
            "agreement met",
            "--as",
            "ops:lee",
            "--json");
    assertThat(change.exitCode()).as(change.out() + change.err()).isEqualTo(ExitCode.OK);
    assertThat(change.json().path("evidence").asText())
        .contains("supports PROPOSE")
        .contains("min 2 comparisons")
        .contains("supervised-streak 7");
  }

  @Test
  void versionsAreComparedSideBySide() throws Exception {
    String v1 = run(shadowFile, "rec-c1", ExitCode.OK);
    run(version2File, "rec-c2", ExitCode.OK);
    run(version2File, "rec-c3", ExitCode.OK);
    bridle("feedback", v1, "--rating", "3");

    CliHarness.Execution text = bridle("workflows", "compare", "cli-deploy", "--versions", "1,2");
    assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.OK);
    assertThat(text.out())
        .containsPattern("runs\\s+1\\s+2")
        .containsPattern("completed\\s+1\\s+2")
        .containsPattern("feedback mean \\(ratings\\)\\s+3.00 \\(1\\)\\s+-");

    JsonNode json =
        bridle("workflows", "compare", "cli-deploy", "--versions", "2,1", "--json").json();
    assertThat(json.path("versions").get(0).path("version").asText()).isEqualTo("2");
    assertThat(json.path("versions").get(0).path("runs").asInt()).isEqualTo(2);
    assertThat(json.path("versions").get(0).path("outcomes").path("COMPLETED").asInt())
        .isEqualTo(2);
    assertThat(json.path("versions").get(1).path("feedback").path("mean").asDouble())
        .isEqualTo(3.0);
    assertThat(bridle("workflows", "compare", "cli-deploy", "--versions", "1,,2").exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void withoutAWorkflowStatusCoversEveryWorkflowAndSaysSoWhenThereIsNone() throws Exception {
    assertThat(bridle("workflows", "status").out())
        .contains("No workflow has runs or a mode change in this store yet.");
    run(shadowFile, "rec-e1", ExitCode.OK);

    CliHarness.Execution all = bridle("workflows", "status");

    assertThat(all.out())
        .contains("cli-deploy@1  mode unknown (no mode change recorded; name the workflow file");
    assertThat(bridle("workflows", "status", "--json").json()).hasSize(1);
    assertThat(bridle("workflows", "status", "cli-deplyo").out())
        .contains(
            "(no run and no mode change of cli-deplyo is recorded in this store; check the"
                + " name)");
    CliHarness.Execution bad = bridle("workflows", "status", "Bad Name");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("WORKFLOW must be a workflow's name");
  }

  @Test
  void aServingNodeRunsEachNewRunInTheWorkflowsLatestMode() throws Exception {
    Path proposeFile = dir.resolve("deploy-propose.yaml");
    Files.writeString(proposeFile, workflow("1", "propose"));
    String operator =
        bridle("tokens", "create", "--role", "operator", "--name", "otto", "--json")
            .json()
            .path("token")
            .asText();
    String viewer =
        bridle("tokens", "create", "--role", "viewer", "--name", "vic", "--json")
            .json()
            .path("token")
            .asText();

    try (RunningCommand node =
        RunningCommand.start(
            "serve", "--db", db, "--port", "0", "--workflow", proposeFile.toString())) {
      String url = node.awaitOutput("listening on (http://127\\.0\\.0\\.1:\\d+/)");
      String mode = "api/v1/workflows/cli-deploy/mode";
      String toShadow = "{\"mode\": \"shadow\", \"reason\": \"bad closures reported\"}";
      assertThat(node.call(url, "POST", mode, viewer, toShadow).statusCode()).isEqualTo(403);
      HttpResponse<String> changed = node.call(url, "POST", mode, operator, toShadow);
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(changed.body()).path("from").asText()).isEqualTo("PROPOSE");

      String shadowRun = submit(proposeFile, "rec-n1");
      awaitStatus(node, url, viewer, shadowRun, "COMPLETED");
      assertThat(GovernanceTestTools.status("rec-n1")).isEqualTo("open");

      // a change from the command line reaches the serving node's next run
      assertThat(
              bridle("workflows", "set-mode", "cli-deploy", "supervised", "--reason", "trusted")
                  .exitCode())
          .isEqualTo(ExitCode.OK);
      String supervisedRun = submit(proposeFile, "rec-n2");
      awaitStatus(node, url, viewer, supervisedRun, "COMPLETED");
      assertThat(GovernanceTestTools.status("rec-n2")).isEqualTo("closed");

      JsonNode readiness =
          Json.MAPPER.readTree(
              node.call(url, "GET", "api/v1/workflows/cli-deploy/readiness", viewer, null).body());
      assertThat(readiness.path("currentMode").asText()).isEqualTo("SUPERVISED");
      assertThat(readiness.path("override").path("from").asText()).isEqualTo("SHADOW");
      assertThat(node.stop()).isEqualTo(ExitCode.OK);
    }
  }

  private String submit(Path file, String record) throws Exception {
    CliHarness.Execution submitted =
        bridle("submit", file.toString(), "--input", record, "--user", "dana", "--json");
    assertThat(submitted.exitCode()).as(submitted.err()).isEqualTo(ExitCode.OK);
    return submitted.json().path("runId").asText();
  }

  private static void awaitStatus(
      RunningCommand node, String url, String token, String runId, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Json.MAPPER
                    .readTree(node.call(url, "GET", "api/v1/runs/" + runId, token, null).body())
                    .path("run")
                    .path("status")
                    .asText()
                    .equals(status));
  }
}
