package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridle replay}: the same workflow replays identically; a changed policy shows up. */
class ReplayCommandTest {

  @TempDir Path dir;

  private Path workflow(String name, String policy) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        name: replay-writes
        version: "1"
        goal: Close a record.
        model:
          provider: scripted
          name: writes
        tools:
          - provider: cli-governance-test
            include: [set_status]
        effect-cap: WRITE
        """
            + policy
            + """
        script:
          - call: set_status
            args: {record: "{{task}}", status: closed}
          - say: "Closed the record."
        """);
    return file;
  }

  @Test
  void aRecordedRunReplaysIdenticallyUntilThePolicyChanges() throws Exception {
    Path original = workflow("original", "");
    String db = "sqlite:" + dir.resolve("replay.db");
    CliHarness.Execution run =
        CliHarness.execute(
            "run", original.toString(), "--input", "rec-replay", "--db", db, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String runId = run.json().path("runId").asText();
    String before = GovernanceTestTools.status("rec-replay");

    CliHarness.Execution same =
        CliHarness.execute("replay", runId, "--workflow", original.toString(), "--db", db);
    assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).contains("Every decision is the same.");

    Path stricter =
        workflow(
            "stricter",
            """
            policy:
              rules:
                - {id: no-writes, tools: set_status, verdict: deny}
            """);
    CliHarness.Execution changed =
        CliHarness.execute(
            "replay", runId, "--workflow", stricter.toString(), "--db", db, "--json");
    assertThat(changed.exitCode()).isEqualTo(ExitCode.FAILED);
    JsonNode report = changed.json();
    assertThat(report.path("identical").asBoolean()).isFalse();
    assertThat(report.path("differences").get(0).path("now").asText())
        .isEqualTo("policy DENY (no-writes); rejected POLICY_DENIED");
    assertThat(GovernanceTestTools.status("rec-replay"))
        .as("replaying executes nothing")
        .isEqualTo(before);
  }
}
