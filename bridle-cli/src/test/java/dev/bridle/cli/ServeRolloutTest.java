package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridle serve} with several files of one workflow: a canary through the real node (HTTP on
 * a free port, SQLite, the worker), and the configuration errors that name the files.
 */
class ServeRolloutTest {

  @TempDir Path dir;

  /** Version {@code version} of {@code triage}, answering with its version. */
  private Path version(String version, String rollout) throws Exception {
    Path file = dir.resolve("triage-v" + version + "-" + Math.abs(rollout.hashCode()) + ".yaml");
    Files.writeString(
        file,
        """
        name: triage
        version: "%s"
        goal: Answer a ticket.
        model: {provider: scripted, name: triage}
        instructions: Version %s of the instructions.
        tools: [cli-governance-test]
        effect-cap: EXTERNAL
        %s
        script:
          - say: "answered by version %s"
        """
            .formatted(version, version, rollout, version));
    return file;
  }

  private String db() {
    return "sqlite:" + dir.resolve("node.db");
  }

  private CliHarness.Execution serve(Path... files) {
    List<String> args = new ArrayList<>(List.of("serve", "--db", db(), "--port", "0"));
    for (Path file : files) {
      args.add("--workflow");
      args.add(file.toString());
    }
    return CliHarness.execute(args.toArray(String[]::new));
  }

  @Test
  void aCanaryServedFromTwoFilesRunsEachRunOnTheVersionItsIdPicks() throws Exception {
    Path stable = version("3", "rollout: {traffic: 50%}");
    Path canary = version("4", "rollout: {traffic: 50%}");
    CliHarness.Execution token =
        CliHarness.execute(
            "tokens", "create", "--role", "operator", "--name", "otto", "--db", db(), "--json");
    String secret = token.json().path("token").asText();

    try (RunningCommand node =
        RunningCommand.start(
            "serve",
            "--db",
            db(),
            "--port",
            "0",
            "--workflow",
            stable.toString(),
            "--workflow",
            canary.toString(),
            "--lease",
            "3s")) {
      String url = node.awaitOutput("listening on (http://127\\.0\\.0\\.1:\\d+/)");
      assertThat(node.out())
          .contains(
              "bridle serve: triage in 2 versions side by side: version 3 gets 50% of new runs,"
                  + " version 4 gets 50% of new runs");

      List<String> runs = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String body = Json.write(Map.of("workflow", "triage", "task", "ticket " + i));
        runs.add(
            Json.MAPPER
                .readTree(node.call(url, "POST", "api/v1/runs", secret, body).body())
                .path("id")
                .asText());
      }
      Map<String, Integer> perVersion = new HashMap<>();
      for (String run : runs) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Json.MAPPER
                        .readTree(node.call(url, "GET", "api/v1/runs/" + run, secret, null).body())
                        .path("outcome")
                        .path("ended")
                        .asBoolean());
        JsonNode shown =
            Json.MAPPER.readTree(node.call(url, "GET", "api/v1/runs/" + run, secret, null).body());
        String version = shown.path("run").path("workflowVersion").asText();
        assertThat(shown.path("outcome").path("answer").asText())
            .isEqualTo("answered by version " + version);
        assertThat(shown.path("run").path("definitionHash").asText())
            .matches("sha256:[0-9a-f]{64}");
        perVersion.merge(version, 1, Integer::sum);
      }
      // each version's runs; 24 random ids all on one side of 50%: 2 in 10 million
      assertThat(perVersion).containsOnlyKeys("3", "4");

      JsonNode workflow =
          Json.MAPPER.readTree(
              node.call(url, "GET", "api/v1/workflows/triage", secret, null).body());
      assertThat(workflow.path("rollout").findValuesAsText("traffic"))
          .containsExactly("50%", "50%");
    }
  }

  @Test
  void eachServedVersionIsAssessedWithItsFilesPromotionThresholds() throws Exception {
    Path stable = version("3", "rollout: {traffic: 90%}\npromotion: {min-comparisons: 7}");
    Path canary =
        version("4", "rollout: {traffic: 10%}\npromotion: {agreement: 99%, min-comparisons: 70}");
    String secret =
        CliHarness.execute(
                "tokens", "create", "--role", "viewer", "--name", "vic", "--db", db(), "--json")
            .json()
            .path("token")
            .asText();

    try (RunningCommand node =
        RunningCommand.start(
            "serve",
            "--db",
            db(),
            "--port",
            "0",
            "--workflow",
            stable.toString(),
            "--workflow",
            canary.toString())) {
      String url = node.awaitOutput("listening on (http://127\\.0\\.0\\.1:\\d+/)");
      JsonNode v3 =
          Json.MAPPER.readTree(
              node.call(url, "GET", "api/v1/workflows/triage/readiness?version=3", secret, null)
                  .body());
      JsonNode v4 =
          Json.MAPPER.readTree(
              node.call(url, "GET", "api/v1/workflows/triage/readiness?version=4", secret, null)
                  .body());
      assertThat(v3.path("settings").path("minimumComparisons").asInt()).isEqualTo(7);
      assertThat(v3.path("settings").path("agreementRate").asDouble()).isEqualTo(0.9);
      assertThat(v4.path("settings").path("minimumComparisons").asInt()).isEqualTo(70);
      assertThat(v4.path("settings").path("agreementRate").asDouble()).isEqualTo(0.99);
    }
  }

  @Test
  void filesOfOneWorkflowMustHaveDifferentVersions() throws Exception {
    Path first = version("3", "rollout: {traffic: 50%}");
    Path second = version("3", "rollout: {traffic: 50% }");

    CliHarness.Execution refused = serve(first, second);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .contains(
            "workflow 'triage': version 3 is defined more than once ("
                + first
                + ", "
                + second
                + ")");
  }

  @Test
  void everyFileOfSeveralMustDeclareItsTraffic() throws Exception {
    Path stable = version("3", "");
    Path canary = version("4", "rollout: {traffic: 10%}");

    CliHarness.Execution refused = serve(stable, canary);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .contains(
            "workflow 'triage' is defined by 2 files ("
                + stable
                + ", "
                + canary
                + "): each must say which share of new runs its version gets with 'rollout:"
                + " {traffic: N%}', but "
                + stable
                + " does not");
  }

  @Test
  void trafficMustAddUpToAHundred() throws Exception {
    Path stable = version("3", "rollout: {traffic: 80%}");
    Path canary = version("4", "rollout: {traffic: 10%}");

    CliHarness.Execution refused = serve(stable, canary);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .contains(
            "workflow 'triage': the traffic of its versions must add up to 100%, but adds up to"
                + " 90% ("
                + stable
                + ": version 3 80%, "
                + canary
                + ": version 4 10%)");
    // a file served alone that says it gets a share gets exactly that, so it must say 100%
    assertThat(serve(canary).err()).contains("but adds up to 10% (" + canary);
  }

  @Test
  void aRunIsResumedOnlyWithTheVersionItStartedWith() throws Exception {
    Path three = version("3", "");
    Path four = version("4", "");
    CliHarness.Execution ran =
        CliHarness.execute("run", three.toString(), "--input", "a ticket", "--db", db(), "--json");
    assertThat(ran.exitCode()).as(ran.err()).isEqualTo(ExitCode.OK);
    String runId = ran.json().path("runId").asText();

    CliHarness.Execution refused =
        CliHarness.execute("resume", runId, "--workflow", four.toString(), "--db", db());

    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .contains(
            "run "
                + runId
                + " started on version 3 of workflow 'triage', not on version 4: a run keeps the"
                + " version it started with");
    assertThat(
            CliHarness.execute("resume", runId, "--workflow", three.toString(), "--db", db())
                .exitCode())
        .isEqualTo(ExitCode.OK);
  }
}
