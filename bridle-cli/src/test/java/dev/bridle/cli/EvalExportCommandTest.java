package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Suites;
import dev.bridle.store.RunStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrections exported from runs a real agent made in a real SQLite store. */
class EvalExportCommandTest {

  @TempDir Path dir;

  Path workflowFile;
  String db;

  @BeforeEach
  void setUp() throws Exception {
    workflowFile = dir.resolve("workflow.yaml");
    Files.writeString(
        workflowFile,
        """
        name: records-export
        version: "1"
        goal: Close the record named in the task, with a human's approval.
        model: {provider: scripted, name: scripted}
        tools: [cli-eval-test]
        effect-cap: write
        policy:
          rules:
            - {id: reads, tools: get_record, verdict: allow}
            - {id: writes, tools: set_record, verdict: ask}
        """);
    db = "sqlite:" + dir.resolve("bridle.db");
  }

  /** Runs {@code model} on {@code task}, then decides its one approval and lets it finish. */
  private void runAndDecide(
      RunStore store,
      ScriptedChatModel model,
      String task,
      Decision decision,
      String arguments,
      String message) {
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    Agent agent =
        StoreOptions.agent(workflow, model, store, getClass().getClassLoader())
            .journal(store)
            .build();
    RunId run = RunId.random();
    agent.run(run, task, "carol");
    Approvals approvals = new Approvals(store, name -> Optional.of(agent), Clock.systemUTC());
    approvals.decide(
        approvals.pendingFor(run).getFirst().id(), decision, arguments, message, "alice");
    agent.resume(run);
  }

  /** An edit, a rejection and an approval, in the SQLite store at {@link #db}. */
  private void threeReviewedRuns() {
    try (RunStore store = RunStores.open(db)) {
      runAndDecide(
          store,
          ScriptedChatModel.builder()
              .thenCall("get_record", Map.of("id", "R1"))
              .thenCall("set_record", Map.of("id", "R1", "status", "closed"))
              .thenAnswer("R1 is archived.")
              .build(),
          "Close R1",
          Decision.EDIT,
          "{\"id\":\"R1\",\"status\":\"archived\"}",
          "we archive, never close");
      runAndDecide(
          store,
          ScriptedChatModel.builder()
              .thenCall("set_record", Map.of("id", "R2", "status", "deleted"))
              .thenAnswer("Done.")
              .build(),
          "Clean up R2",
          Decision.REJECT,
          null,
          "records are never deleted");
      runAndDecide(
          store,
          ScriptedChatModel.builder()
              .thenCall("set_record", Map.of("id", "R1", "status", "open"))
              .thenAnswer("Reopened.")
              .build(),
          "Reopen R1",
          Decision.APPROVE,
          null,
          "");
    }
  }

  @Test
  void exportsEditsAndRejectionsOnceAndTheCasesRunGreen() throws Exception {
    threeReviewedRuns();
    Path out = dir.resolve("evals/corrections.yaml");

    CliHarness.Execution first =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--db",
            db,
            "--out",
            out.toString());

    assertThat(first.err()).isEmpty();
    assertThat(first.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(first.out())
        .contains("Looked at 3 runs of records-export: 2 corrections (edited or rejected calls).")
        .contains("Created " + out + ": 2 cases tagged correction.");
    EvalSuite suite = Suites.load(out);
    assertThat(suite.workflow()).contains(workflowFile);
    assertThat(suite.cases())
        .allSatisfy(c -> assertThat(c.tags()).containsExactly("correction"))
        .extracting(c -> c.task())
        .containsExactly("Close R1", "Clean up R2");
    assertThat(suite.cases().get(0).expect().toolCalls().get(1).describe())
        .isEqualTo("set_record(id equals \"R1\", status equals \"archived\")");
    assertThat(suite.cases().get(1).expect().noCalls()).containsExactly("set_record");

    CliHarness.Execution again =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--store",
            db,
            "--out",
            out.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(again.out())
        .contains("Nothing new to write to " + out + ".")
        .contains("2 were exported before and skipped.");
    assertThat(Suites.load(out).cases()).hasSize(2);

    CliHarness.Execution evaluated = CliHarness.execute("eval", out.toString());
    assertThat(evaluated.out()).contains("2 cases: 2 passed, 0 failed (100.0%)");
    assertThat(evaluated.exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void onlyRunsSinceAnInstantAndByDefaultBesideTheWorkflow() {
    threeReviewedRuns();

    CliHarness.Execution future =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--db",
            db,
            "--since",
            "2999-01-01");
    assertThat(future.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(future.out()).contains("Looked at 0 runs of records-export since 2999-01-01");
    assertThat(dir.resolve("corrections.yaml")).doesNotExist();

    CliHarness.Execution recent =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--db",
            db,
            "--since",
            "1h");
    assertThat(recent.out()).contains("Created " + dir.resolve("corrections.yaml"));
    assertThat(dir.resolve("corrections.yaml")).exists();
  }

  @Test
  void usageErrorsAreNamed() {
    CliHarness.Execution noWorkflow = CliHarness.execute("eval", "export-corrections", "--db", db);
    assertThat(noWorkflow.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noWorkflow.err()).contains("Missing required option: '--workflow=FILE'");

    CliHarness.Execution badSince =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--db",
            db,
            "--since",
            "last week");
    assertThat(badSince.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badSince.err()).contains("--since: 'last week' is neither an instant");

    CliHarness.Execution twoStores =
        CliHarness.execute(
            "eval",
            "export-corrections",
            "--workflow",
            workflowFile.toString(),
            "--db",
            db,
            "--store",
            "sqlite:" + dir.resolve("other.db"));
    assertThat(twoStores.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(twoStores.err()).contains("--store and --db name different stores");
  }
}
