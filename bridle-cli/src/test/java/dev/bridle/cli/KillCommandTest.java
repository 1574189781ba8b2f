package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridle kill} and {@code bridle revive}, in one process and across two. */
class KillCommandTest {

  @TempDir static Path storeDir;

  static Path writes;
  static Path slow;

  @BeforeAll
  static void writeWorkflows() throws Exception {
    writes = storeDir.resolve("writes.yaml");
    Files.writeString(
        writes,
        """
        name: kill-writes
        version: "1"
        goal: Close a record.
        model:
          provider: scripted
          name: writes
        tools:
          - provider: cli-governance-test
            include: [set_status]
        effect-cap: WRITE
        script:
          - call: set_status
            args: {record: "{{task}}", status: closed}
          - say: "Closed the record."
        """);
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      steps.append("  - call: pause\n    args: {step: ").append(i).append("}\n");
    }
    slow = storeDir.resolve("slow.yaml");
    Files.writeString(
        slow,
        """
        name: kill-slow
        version: "1"
        goal: Take a long time.
        model:
          provider: scripted
          name: slow
        tools:
          - provider: cli-governance-test
            include: [pause]
        limits:
          max-steps: 50
          deadline: 5m
          loop-threshold: 50
        script:
        """
            + steps
            + "  - say: \"done\"\n");
  }

  static CliHarness.Execution bridle(String... args) {
    return CliHarness.bridle(storeDir, args);
  }

  @Test
  void aKilledWorkflowParksItsRunsUntilRevivedAndResumed() throws Exception {
    assertThat(
            bridle("kill", "--workflow", "kill-writes", "--reason", "incident 7", "--as", "ops")
                .exitCode())
        .isZero();

    CliHarness.Execution run = bridle("run", writes.toString(), "--input", "rec-k1", "--json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    JsonNode json = run.json();
    assertThat(json.path("outcome").asText()).isEqualTo("killed");
    String runId = json.path("runId").asText();
    assertThat(GovernanceTestTools.status("rec-k1")).isEqualTo("open");
    assertThat(bridle("runs", "show", runId, "--json").json().path("status").asText())
        .isEqualTo("killed");

    JsonNode list = bridle("kill", "--list", "--json").json();
    assertThat(list.path("active").get(0).path("target").asText()).isEqualTo("kill-writes");
    assertThat(list.path("active").get(0).path("reason").asText()).isEqualTo("incident 7");
    assertThat(list.path("parkedRuns").toString()).contains(runId);

    // still killed: resuming parks it again without doing anything
    assertThat(bridle("resume", runId, "--workflow", writes.toString()).exitCode())
        .isEqualTo(ExitCode.FAILED);
    assertThat(GovernanceTestTools.status("rec-k1")).isEqualTo("open");

    assertThat(bridle("revive", "--workflow", "kill-writes", "--as", "ops").exitCode()).isZero();
    CliHarness.Execution again = bridle("revive", "--workflow", "kill-writes");
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.out()).contains("was not on");

    assertThat(bridle("resume", runId, "--workflow", writes.toString()).exitCode()).isZero();
    assertThat(GovernanceTestTools.status("rec-k1")).isEqualTo("closed");
  }

  @Test
  void aKillFromAnotherProcessStopsARunningNodeWithinASecond(@TempDir Path dir) throws Exception {
    String db = "sqlite:" + dir.resolve("kill.db");
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
                "node-k",
                "--workflow",
                slow.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    try {
      CliHarness.Execution submitted =
          CliHarness.execute("submit", slow.toString(), "--input", "go", "--db", db, "--json");
      assertThat(submitted.exitCode()).as(submitted.err()).isZero();
      String runId = submitted.json().path("runId").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> steps(db, runId) >= 3);

      assertThat(CliHarness.execute("kill", "--workflow", "kill-slow", "--db", db).exitCode())
          .isZero();
      long killedAt = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> status(db, runId).equals("killed"));
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertThat(tookMillis).isLessThan(1000);
      int stepsAtKill = steps(db, runId);
      assertThat(stepsAtKill).isLessThan(40);

      // parked: nothing more happens while the switch is on
      Thread.sleep(500);
      assertThat(steps(db, runId)).isEqualTo(stepsAtKill);
    } finally {
      node.destroy();
      node.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String status(String db, String runId) throws Exception {
    return CliHarness.execute("runs", "show", runId, "--db", db, "--json")
        .json()
        .path("status")
        .asText();
  }

  private static int steps(String db, String runId) throws Exception {
    return CliHarness.execute("runs", "show", runId, "--db", db, "--json")
        .json()
        .path("steps")
        .asInt();
  }
}
