package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governance commands over a real SQLite file: a run that needs approval exits 3, the inbox
 * lists and shows it, a decision in a later invocation (as after a node restart) resumes the run,
 * the audit trail names the approver, revert undoes the reversible write once, cancel ends a
 * waiting run.
 */
class GovernanceCommandsTest {

  @TempDir static Path storeDir;

  /** Closes a record (a reversible WRITE), then e-mails its owner (EXTERNAL: a human approves). */
  static Path workflow;

  /** Only the reversible WRITE: nothing needs approval, everything can be undone. */
  static Path writesOnly;

  @BeforeAll
  static void writeWorkflows() throws Exception {
    workflow = storeDir.resolve("governance.yaml");
    Files.writeString(
        workflow,
        """
        name: cli-governance
        version: "1"
        goal: Close a record and tell its owner by e-mail.
        model:
          provider: scripted
          name: governance
        tools:
          - cli-governance-test
        effect-cap: EXTERNAL
        script:
          - call: set_status
            args: {record: "{{task}}", status: closed}
          - call: send_email
            args: {to: "{{task}}@example.com", body: "Your record was closed."}
          - say: "Closed the record and told its owner."
        """);
    writesOnly = storeDir.resolve("writes.yaml");
    Files.writeString(
        writesOnly,
        """
        name: cli-governance-writes
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
  }

  static CliHarness.Execution bridle(String... args) {
    return CliHarness.bridle(storeDir, args);
  }

  /** Runs the governance workflow for {@code record}; it suspends before the e-mail. */
  private static String runUntilApproval(String record) throws Exception {
    CliHarness.Execution run =
        bridle("run", workflow.toString(), "--input", record, "--user", "dana", "--json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.SUSPENDED);
    JsonNode json = run.json();
    assertThat(json.path("outcome").asText()).isEqualTo("suspended");
    String runId = json.path("runId").asText();
    assertThat(texts(json.path("pendingApprovals"))).containsExactly(runId + "/call_2_1");
    return runId + "/call_2_1";
  }

  private static String runOf(String approvalId) {
    return approvalId.substring(0, approvalId.indexOf('/'));
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<JsonNode> events(String runId, String type) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode entry : bridle("runs", "show", runId, "--json").json().path("events")) {
      if (entry.path("event").path("type").asText().equals(type)) {
        found.add(entry.path("event"));
      }
    }
    return found;
  }

  @Test
  void aRunThatNeedsApprovalExits3AndTheInboxShowsItWithItsContext() throws Exception {
    CliHarness.Execution run =
        bridle("run", workflow.toString(), "--input", "rec-inbox", "--user", "dana");

    assertThat(run.exitCode()).isEqualTo(ExitCode.SUSPENDED);
    String runId = run.out().lines().findFirst().orElseThrow().split(" ")[1];
    String id = runId + "/call_2_1";
    assertThat(run.out())
        .contains("Outcome: suspended: waiting for approval " + id)
        .contains("Pending approval: " + id)
        .contains("bridle approvals show " + id);

    CliHarness.Execution list = bridle("approvals", "list");
    assertThat(list.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(list.out()).contains(id).contains("send_email").contains("dana");

    JsonNode listed = bridle("approvals", "list", "--json").json();
    JsonNode item = null;
    for (JsonNode candidate : listed.path("pending")) {
      if (candidate.path("id").asText().equals(id)) {
        item = candidate;
      }
    }
    assertThat(item).isNotNull();
    assertThat(item.path("kind").asText()).isEqualTo("approval");
    assertThat(item.path("tool").asText()).isEqualTo("send_email");
    assertThat(item.path("arguments").path("to").asText()).isEqualTo("rec-inbox@example.com");
    assertThat(item.path("reason").asText()).contains("send_email has effect EXTERNAL");
    assertThat(item.path("onTimeout").asText()).isEqualTo("reject");
    assertThat(item.path("context").path("task").asText()).isEqualTo("rec-inbox");
    assertThat(item.path("context").path("tried").get(0).path("tool").asText())
        .isEqualTo("set_status");
    assertThat(item.path("context").path("tried").get(0).path("status").asText())
        .isEqualTo("succeeded");
    assertThat(item.path("context").path("gathered").get(0).path("result").asText())
        .isEqualTo("record rec-inbox is now closed");

    CliHarness.Execution show = bridle("approvals", "show", id);
    assertThat(show.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(show.out())
        .contains("Approval " + id + "  pending")
        .contains("Tool:       send_email")
        .contains("Why:        ")
        .contains("  To: rec-inbox@example.com")
        .contains("then the workflow's default applies: reject")
        .contains("Task:       rec-inbox")
        .contains("1. set_status")
        .contains("set_status: record rec-inbox is now closed")
        .contains("bridle approvals approve " + id);
    assertThat(bridle("runs", "show", runId).out())
        .contains("PolicyDecided")
        .contains("send_email ask (rule max-unapproved-effect): send_email has effect EXTERNAL")
        .contains("ApprovalRequested")
        .contains("Waiting for approval " + id);
    assertThat(GovernanceTestTools.sent("rec-inbox@example.com")).isZero();
  }

  @Test
  void anApprovalAfterANodeRestartResumesTheRunAndTheToolRunsOnce() throws Exception {
    String id = runUntilApproval("rec-approve");

    // a new invocation: nothing of the suspended run is in memory, only in the SQLite file
    CliHarness.Execution approved =
        bridle("approvals", "approve", id, "--as", "alice", "--workflow", workflow.toString());

    assertThat(approved.exitCode()).as(approved.err()).isEqualTo(ExitCode.OK);
    assertThat(approved.out())
        .contains("Approval " + id + " approved by alice")
        .contains("Run " + runOf(id) + ": completed")
        .contains("Closed the record and told its owner.");
    assertThat(GovernanceTestTools.sent("rec-approve@example.com")).isEqualTo(1);

    CliHarness.Execution again =
        bridle("approvals", "approve", id, "--as", "bob", "--workflow", workflow.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("was already decided by alice").contains("it runs once");
    assertThat(bridle("resume", runOf(id), "--workflow", workflow.toString()).out())
        .contains("completed");
    assertThat(GovernanceTestTools.sent("rec-approve@example.com")).isEqualTo(1);

    assertThat(bridle("approvals", "show", id).out())
        .contains("Approval " + id + "  decided")
        .contains("Decided:    approve by alice");
    assertThat(bridle("runs", "show", runOf(id)).out())
        .contains("ApprovalDecided")
        .contains(id + " approved by alice");

    JsonNode audit = bridle("audit", "--workflow", "cli-governance", "--json").json();
    JsonNode email = entry(audit, runOf(id), "send_email");
    assertThat(email.path("approver").asText()).isEqualTo("alice");
    assertThat(email.path("decision").asText()).isEqualTo("approve");
    assertThat(email.path("effect").asText()).isEqualTo("EXTERNAL");
    assertThat(email.path("status").asText()).isEqualTo("succeeded");
    assertThat(email.path("updatedBy").asText()).isEqualTo("agent:cli-governance@1");
    assertThat(email.path("user").asText()).isEqualTo("dana");
    JsonNode write = entry(audit, runOf(id), "set_status");
    assertThat(write.path("approver").isNull()).isTrue();
    assertThat(write.path("change").path("before").path("status").asText()).isEqualTo("open");
    assertThat(write.path("change").path("after").path("status").asText()).isEqualTo("closed");
    assertThat(bridle("audit", "--workflow", "cli-governance").out())
        .contains("APPROVER")
        .contains("alice")
        .contains("test:record/rec-approve {\"status\":\"open\"}→{\"status\":\"closed\"}");
  }

  private static JsonNode entry(JsonNode audit, String runId, String tool) {
    for (JsonNode entry : audit) {
      if (entry.path("runId").asText().equals(runId) && entry.path("tool").asText().equals(tool)) {
        return entry;
      }
    }
    throw new AssertionError("no audit entry of " + tool + " in run " + runId + ": " + audit);
  }

  @Test
  void aDecisionWithoutTheWorkflowQueuesTheRunForAnyNode() throws Exception {
    String id = runUntilApproval("rec-queued");

    CliHarness.Execution approved = bridle("approvals", "approve", id, "--as", "alice");

    assertThat(approved.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(approved.out())
        .contains("is queued: a 'bridle serve' node serving workflow 'cli-governance'")
        .contains("bridle resume " + runOf(id));
    assertThat(bridle("runs", "show", runOf(id), "--json").json().path("status").asText())
        .isEqualTo("queued");
    assertThat(GovernanceTestTools.sent("rec-queued@example.com")).isZero();

    CliHarness.Execution resumed = bridle("resume", runOf(id), "--workflow", workflow.toString());
    assertThat(resumed.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(GovernanceTestTools.sent("rec-queued@example.com")).isEqualTo(1);
  }

  @Test
  void aRejectionTellsTheModelWhyAndTheRunCompletesWithoutTheCall() throws Exception {
    String id = runUntilApproval("rec-reject");

    CliHarness.Execution rejected =
        bridle(
            "approvals",
            "reject",
            id,
            "--reason",
            "we do not e-mail about closures",
            "--as",
            "alice",
            "--workflow",
            workflow.toString(),
            "--json");

    assertThat(rejected.exitCode()).as(rejected.err()).isEqualTo(ExitCode.OK);
    JsonNode json = rejected.json();
    assertThat(json.path("decision").path("decision").asText()).isEqualTo("reject");
    assertThat(json.path("decision").path("message").asText())
        .isEqualTo("we do not e-mail about closures");
    assertThat(json.path("resumed").asBoolean()).isTrue();
    assertThat(json.path("run").path("outcome").asText()).isEqualTo("completed");
    JsonNode email = json.path("run").path("toolCalls").get(1);
    assertThat(email.path("name").asText()).isEqualTo("send_email");
    assertThat(email.path("status").asText()).isEqualTo("rejected");
    assertThat(GovernanceTestTools.sent("rec-reject@example.com")).isZero();
    assertThat(events(runOf(id), "ApprovalDecided").getFirst().path("message").asText())
        .isEqualTo("we do not e-mail about closures");
    assertThat(bridle("approvals", "reject", id, "--workflow", workflow.toString()).exitCode())
        .as("--reason is required")
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void anEditIsCheckedAgainstTheSchemaAndRunsWithTheApproversArguments() throws Exception {
    String id = runUntilApproval("rec-edit");

    CliHarness.Execution schema =
        bridle(
            "approvals", "approve", id, "--args", "{\"to\": 5}", "--workflow", workflow.toString());
    assertThat(schema.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(schema.err())
        .startsWith("bridle: the edited arguments are refused:")
        .contains("body");
    CliHarness.Execution notJson =
        bridle("approvals", "approve", id, "--args", "{to:", "--workflow", workflow.toString());
    assertThat(notJson.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(notJson.err()).contains("--args is not valid JSON");
    CliHarness.Execution noWorkflow =
        bridle("approvals", "approve", id, "--args", "{\"to\": \"x@example.com\"}");
    assertThat(noWorkflow.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noWorkflow.err()).contains("--args needs --workflow FILE");
    CliHarness.Execution wrongWorkflow =
        bridle("approvals", "approve", id, "--workflow", writesOnly.toString());
    assertThat(wrongWorkflow.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(wrongWorkflow.err()).contains("belongs to a run of workflow 'cli-governance'");
    assertThat(bridle("approvals", "show", id).out()).contains("  pending");

    CliHarness.Execution edited =
        bridle(
            "approvals",
            "approve",
            id,
            "--args",
            "{\"to\": \"owner-of-rec-edit@example.com\", \"body\": \"Closed today.\"}",
            "--as",
            "alice",
            "--workflow",
            workflow.toString());

    assertThat(edited.exitCode()).as(edited.err()).isEqualTo(ExitCode.OK);
    assertThat(edited.out()).contains("approved with edited arguments by alice");
    assertThat(GovernanceTestTools.sent("owner-of-rec-edit@example.com")).isEqualTo(1);
    assertThat(GovernanceTestTools.sent("rec-edit@example.com")).isZero();
    JsonNode email = entry(bridle("audit", "--json").json(), runOf(id), "send_email");
    assertThat(email.path("decision").asText()).isEqualTo("edit");
    assertThat(email.path("arguments").path("to").asText())
        .isEqualTo("owner-of-rec-edit@example.com");
  }

  @Test
  void aResponseStandsInForTheTool() throws Exception {
    String id = runUntilApproval("rec-respond");

    CliHarness.Execution responded =
        bridle(
            "approvals",
            "respond",
            id,
            "--text",
            "I phoned the owner instead.",
            "--as",
            "alice",
            "--workflow",
            workflow.toString(),
            "--json");

    assertThat(responded.exitCode()).as(responded.err()).isEqualTo(ExitCode.OK);
    assertThat(responded.json().path("run").path("toolCalls").get(1).path("status").asText())
        .isEqualTo("responded");
    assertThat(GovernanceTestTools.sent("rec-respond@example.com")).isZero();
  }

  @Test
  void unknownApprovalsAreUsageErrors() {
    CliHarness.Execution notAnId = bridle("approvals", "show", "nope");
    assertThat(notAnId.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(notAnId.err()).contains("'nope' is not an approval id");
    CliHarness.Execution unknown = bridle("approvals", "approve", "run-nope/call_1_1");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err())
        .isEqualTo("bridle: no approval run-nope/call_1_1" + System.lineSeparator());
    assertThat(bridle("approvals").exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void listingAppliesTheDefaultToApprovalsPastTheirTimeout() throws Exception {
    String original = runUntilApproval("rec-timeout");
    // The same journal under another id, its approval asked two days ago (timeout 24h).
    RunId copy = RunId.of("run-timed-out");
    String id = copyWithApproval(original, copy, localDb(), GovernanceCommandsTest::expired);

    CliHarness.Execution list = bridle("approvals", "list");

    assertThat(list.out())
        .contains(
            "Expired "
                + id
                + ": no decision within its timeout, so the workflow's default applied: reject")
        .contains(original)
        .doesNotContain(id + " ");
    assertThat(bridle("approvals", "list", "--json").json().path("pending").findValuesAsText("id"))
        .doesNotContain(id);
    JsonNode decided = events(copy.value(), "ApprovalDecided").getFirst();
    assertThat(decided.path("approver").asText()).isEqualTo("system:timeout");
    CliHarness.Execution late =
        bridle("approvals", "approve", id, "--workflow", workflow.toString());
    assertThat(late.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(late.err()).contains("already decided by system:timeout");

    CliHarness.Execution resumed =
        bridle("resume", copy.value(), "--workflow", workflow.toString(), "--json");
    assertThat(resumed.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(resumed.json().path("toolCalls").get(1).path("status").asText())
        .isEqualTo("rejected");
    assertThat(GovernanceTestTools.sent("rec-timeout@example.com")).isZero();
  }

  private static String localDb() {
    return "sqlite:" + storeDir.resolve("bridle.db");
  }

  /** The request as if it had been asked two days ago, with the default timeout of 24 hours. */
  private static RunEvent expired(RunEvent.ApprovalRequested e, String approvalId) {
    Instant asked = Instant.now().minusSeconds(48 * 3600);
    return new RunEvent.ApprovalRequested(
        asked,
        approvalId,
        e.callId(),
        e.toolName(),
        e.effect(),
        e.arguments(),
        e.argumentsHash(),
        e.policyVersion(),
        e.reason(),
        e.requester(),
        e.preview(),
        asked.plusSeconds(24 * 3600),
        e.onTimeout(),
        e.fourEyes());
  }

  /**
   * Copies the journal of the run of {@code approvalId} to run {@code copy} in store {@code db},
   * its approval request rewritten (a policy the workflow file cannot express yet: four eyes, a
   * timeout in the past).
   *
   * @return the approval id in the copy
   */
  private static String copyWithApproval(
      String approvalId,
      RunId copy,
      String db,
      java.util.function.BiFunction<RunEvent.ApprovalRequested, String, RunEvent> rewrite) {
    String copiedId = copy.value() + approvalId.substring(approvalId.indexOf('/'));
    List<JournalEntry> entries;
    try (RunStore store = RunStores.open(localDb())) {
      entries = store.read(RunId.of(runOf(approvalId)));
    }
    try (RunStore store = RunStores.open(db)) {
      long seq = 0;
      for (JournalEntry entry : entries) {
        RunEvent event = entry.event();
        if (event instanceof RunEvent.ApprovalRequested requested) {
          event = rewrite.apply(requested, copiedId);
        }
        seq = store.append(copy, seq, event);
      }
    }
    return copiedId;
  }

  @Test
  void aServingNodeAppliesApprovalTimeoutsAndContinuesTheRun(@TempDir Path dir) throws Exception {
    String original = runUntilApproval("rec-serve-timeout");
    String db = "sqlite:" + dir.resolve("serve.db");
    RunId copy = RunId.of("run-serve-timeout");
    String id = copyWithApproval(original, copy, db, GovernanceCommandsTest::expired);

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
                "node-timeouts",
                "--workflow",
                workflow.toString(),
                "--lease",
                "3s")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  CliHarness.execute("runs", "show", copy.value(), "--db", db, "--json")
                      .json()
                      .path("status")
                      .asText()
                      .equals("completed"));
    } finally {
      node.destroy();
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(
            StreamSupport.stream(
                    CliHarness.execute("runs", "show", copy.value(), "--db", db, "--json")
                        .json()
                        .path("events")
                        .spliterator(),
                    false)
                .map(e -> e.path("event"))
                .filter(e -> e.path("type").asText().equals("ApprovalDecided"))
                .map(e -> e.path("approver").asText()))
        .as("the serving node applied the timeout")
        .containsExactly("system:timeout");
    JsonNode events =
        CliHarness.execute("runs", "show", copy.value(), "--db", db, "--json")
            .json()
            .path("events");
    List<String> types = events.findValuesAsText("type");
    assertThat(types).contains("ApprovalDecided", "RunResumed", "RunCompleted");
    assertThat(
            StreamSupport.stream(events.spliterator(), false)
                .map(e -> e.path("event"))
                .filter(e -> e.path("type").asText().equals("ToolCallStarted"))
                .map(e -> e.path("toolName").asText()))
        .as("the e-mail was rejected by the timeout, not sent")
        .containsExactly("set_status");
  }

  @Test
  void fourEyesRefusesTheRequestersOwnApprovalButNotAnotherApprovers() throws Exception {
    String original = runUntilApproval("rec-four-eyes");
    RunId copy = RunId.of("run-four-eyes");
    String id =
        copyWithApproval(
            original,
            copy,
            localDb(),
            (e, approvalId) ->
                new RunEvent.ApprovalRequested(
                    e.at(),
                    approvalId,
                    e.callId(),
                    e.toolName(),
                    e.effect(),
                    e.arguments(),
                    e.argumentsHash(),
                    e.policyVersion(),
                    e.reason(),
                    e.requester(),
                    e.preview(),
                    e.expiresAt(),
                    e.onTimeout(),
                    true));
    assertThat(bridle("approvals", "show", id).out())
        .contains("Four eyes:  the approver must not be dana");

    CliHarness.Execution own =
        bridle("approvals", "approve", id, "--as", "dana", "--workflow", workflow.toString());

    assertThat(own.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(own.err())
        .contains("send_email needs four eyes: dana requested this run and may not approve");
    CliHarness.Execution other =
        bridle("approvals", "approve", id, "--as", "erin", "--workflow", workflow.toString());
    assertThat(other.exitCode()).as(other.err()).isEqualTo(ExitCode.OK);
    assertThat(other.out()).contains("approved by erin").contains("completed");
    assertThat(GovernanceTestTools.sent("rec-four-eyes@example.com")).isEqualTo(1);
  }

  @Test
  void revertUndoesTheReversibleWriteOnceAndReportsTheExternalCall() throws Exception {
    String id = runUntilApproval("rec-revert");
    assertThat(
            bridle("approvals", "approve", id, "--as", "alice", "--workflow", workflow.toString())
                .exitCode())
        .isEqualTo(ExitCode.OK);
    assertThat(GovernanceTestTools.status("rec-revert")).isEqualTo("closed");
    String runId = runOf(id);

    CliHarness.Execution reverted =
        bridle("revert", runId, "--workflow", workflow.toString(), "--by", "ops");

    assertThat(reverted.exitCode()).as(reverted.err()).isEqualTo(ExitCode.FAILED);
    assertThat(reverted.out())
        .contains(runId + " call_1_1 set_status ← set_status: undone")
        .contains("Not reverted:")
        .contains(
            runId
                + " call_2_1 send_email: its effect is EXTERNAL: it reached outside and cannot be"
                + " taken back")
        .contains("1 change(s) still stand");
    assertThat(GovernanceTestTools.status("rec-revert")).isEqualTo("open");

    GovernanceTestTools.STATUS.put("rec-revert", "changed-by-someone-else");
    CliHarness.Execution twice =
        bridle("revert", runId, "--workflow", workflow.toString(), "--json");
    assertThat(twice.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(twice.json().path("reverted")).isEmpty();
    assertThat(twice.json().path("notReverted").findValuesAsText("tool"))
        .containsExactly("send_email");
    assertThat(GovernanceTestTools.status("rec-revert")).isEqualTo("changed-by-someone-else");
    List<JsonNode> reverts = events(runId, "ChangeReverted");
    assertThat(reverts).hasSize(1);
    assertThat(reverts.getFirst().path("by").asText()).isEqualTo("ops");
    assertThat(bridle("runs", "show", runId).out())
        .contains(
            "call_1_1 set_status ← set_status {\"record\":\"rec-revert\",\"status\":\"open\"}"
                + " succeeded by ops");
    JsonNode write = entry(bridle("audit", "--json").json(), runId, "set_status");
    assertThat(write.path("revertedBy").asText()).isEqualTo("ops");
  }

  @Test
  void revertSinceUndoesEveryChangeOfAWorkflowsRecentRuns() throws Exception {
    for (String record : List.of("rec-since-1", "rec-since-2")) {
      assertThat(bridle("run", writesOnly.toString(), "--input", record).exitCode())
          .isEqualTo(ExitCode.OK);
      assertThat(GovernanceTestTools.status(record)).isEqualTo("closed");
    }

    CliHarness.Execution reverted =
        bridle("revert", "--workflow", writesOnly.toString(), "--since", "1h");

    assertThat(reverted.exitCode()).as(reverted.out()).isEqualTo(ExitCode.OK);
    assertThat(reverted.out()).contains("Every change is undone.");
    assertThat(GovernanceTestTools.status("rec-since-1")).isEqualTo("open");
    assertThat(GovernanceTestTools.status("rec-since-2")).isEqualTo("open");
    assertThat(bridle("revert", "--workflow", writesOnly.toString(), "--since", "1h").out())
        .contains("Nothing to revert");

    CliHarness.Execution both =
        bridle("revert", "run-x", "--workflow", writesOnly.toString(), "--since", "1h");
    assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(both.err()).contains("give either RUN_ID").contains("not both");
    assertThat(bridle("revert", "--workflow", writesOnly.toString()).err()).contains("not neither");
    assertThat(bridle("revert", "--workflow", writesOnly.toString(), "--since", "soon").err())
        .contains("--since: 'soon' is neither an instant");
    assertThat(bridle("revert", "run-nope", "--workflow", writesOnly.toString()).err())
        .contains("no run run-nope in the store");
  }

  @Test
  void cancelEndsAWaitingRunAndItsApprovalWithIt() throws Exception {
    String id = runUntilApproval("rec-cancel");
    String runId = runOf(id);

    CliHarness.Execution cancelled =
        bridle("runs", "cancel", runId, "--reason", "not needed any more", "--by", "ops");

    assertThat(cancelled.exitCode()).as(cancelled.err()).isEqualTo(ExitCode.OK);
    assertThat(cancelled.out())
        .contains("Run " + runId + " cancelled by ops: not needed any more")
        .contains("bridle revert " + runId);
    assertThat(bridle("runs", "show", runId, "--json").json().path("status").asText())
        .isEqualTo("cancelled");
    assertThat(bridle("runs", "show", runId).out())
        .contains("RunCancelled")
        .contains("by ops: not needed any more");
    assertThat(bridle("runs", "list", "--status", "cancelled").out()).contains(runId);
    assertThat(bridle("approvals", "list").out()).doesNotContain(id);
    CliHarness.Execution late =
        bridle("approvals", "approve", id, "--workflow", workflow.toString());
    assertThat(late.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(late.err()).contains("has ended");
    CliHarness.Execution resumed = bridle("resume", runId, "--workflow", workflow.toString());
    assertThat(resumed.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(resumed.out()).contains("cancelled by ops: not needed any more");

    CliHarness.Execution again = bridle("runs", "cancel", runId);
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("has ended (cancelled); there is nothing to cancel");
    assertThat(bridle("runs", "cancel", "run-nope").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(GovernanceTestTools.sent("rec-cancel@example.com")).isZero();
  }
}
