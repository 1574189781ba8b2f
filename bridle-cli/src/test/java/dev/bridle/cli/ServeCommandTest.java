package dev.bridle.cli;

import static dev.bridle.cli.RunCommandTest.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridle submit} queues runs; {@code bridle serve}, a real process, runs them. */
class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void aServingNodeRunsTheSubmittedRunsAndStopsOnSigterm() throws Exception {
    String db = "sqlite:" + dir.resolve("queue.db");
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CliHarness.Execution submitted =
          CliHarness.execute(
              "submit",
              WORKFLOW.toString(),
              "--input",
              "Ticket " + i + ": charged twice",
              "--db",
              db,
              "--json");
      assertThat(submitted.exitCode()).isEqualTo(ExitCode.OK);
      runIds.add(submitted.json().path("runId").asText());
    }
    assertThat(
            CliHarness.execute("runs", "list", "--status", "QUEUED", "--db", db, "--json").json())
        .hasSize(3);

    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process node =
        new ProcessBuilder(
                javaBin.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                BridleCli.class.getName(),
                "serve",
                "--db",
                db,
                "--node-id",
                "node-1",
                "--port",
                "0",
                "--workflow",
                WORKFLOW.toString(),
                "--model",
                "scripted",
                "--lease",
                "3s",
                "--retain",
                "30d")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  CliHarness.execute("runs", "list", "--status", "COMPLETED", "--db", db, "--json")
                          .json()
                          .size()
                      == 3);
    } finally {
      node.destroy();
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(dir.resolve("node.log")))
        .contains("bridle serve: node node-1 serving 1 workflow(s) with 16 slots, lease 3s");
    for (String runId : runIds) {
      JsonNode run = CliHarness.execute("runs", "show", runId, "--db", db, "--json").json();
      assertThat(run.path("status").asText()).isEqualTo("completed");
      assertThat(run.path("events").get(0).path("event").path("type").asText())
          .isEqualTo("RunSubmitted");
    }
  }
}
