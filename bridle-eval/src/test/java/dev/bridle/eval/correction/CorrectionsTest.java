package dev.bridle.eval.correction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.WorkflowServices;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.eval.EvalCase;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrections from real runs of the test workflow, decided through the real approvals inbox. */
class CorrectionsTest {

  static final Path WORKFLOW = Path.of("src/test/resources/workflows/crm.yaml").toAbsolutePath();

  @TempDir Path dir;

  private final InMemoryRunStore store = new InMemoryRunStore();
  private WorkflowDefinition workflow;

  @BeforeEach
  void load() {
    workflow = Workflows.load(WORKFLOW);
  }

  private Agent agent(ScriptedChatModel model) throws Exception {
    Path data = Files.createTempDirectory(dir, "data");
    WorkflowServices services =
        WorkflowServices.none()
            .withToolSupply(p -> p.isolatedTools(JsonNodeFactory.instance.objectNode(), data));
    return Workflows.agent(workflow, model, getClass().getClassLoader(), services)
        .journal(store)
        .notifier(n -> {})
        .build();
  }

  private RunId runAndDecide(
      Agent agent, String task, Decision decision, String arguments, String message) {
    RunId id = RunId.random();
    agent.run(id, task, "carol");
    Approvals approvals = new Approvals(store, name -> Optional.of(agent), Clock.systemUTC());
    String approvalId = approvals.pendingFor(id).getFirst().id();
    approvals.decide(approvalId, decision, arguments, message, "alice");
    agent.resume(id);
    return id;
  }

  private RunId editedRun() throws Exception {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_lead", Map.of("lead_id", "L1"))
                .thenCall("update_bio", Map.of("lead_id", "L1", "bio", "draft"))
                .thenAnswer("Proposed a bio for L1.")
                .build());
    return runAndDecide(
        agent,
        "Set the bio of L1",
        Decision.EDIT,
        "{\"lead_id\":\"L1\",\"bio\":\"Baker in Millbrook.\"}",
        "shorter");
  }

  private RunId rejectedRun() throws Exception {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_lead", Map.of("lead_id", "L1"))
                .thenCalls(
                    ScriptedChatModel.Builder.call("get_lead", Map.of("lead_id", "L2")),
                    ScriptedChatModel.Builder.call(
                        "update_bio", Map.of("lead_id", "L2", "bio", "x")))
                .thenAnswer("Changed L2.")
                .build());
    return runAndDecide(agent, "Set the bio of L1", Decision.REJECT, null, "wrong lead");
  }

  @Test
  void anEditBecomesACaseWithTheEditedCallExpected() throws Exception {
    RunId run = editedRun();

    List<Correction> found = Corrections.find(store, RunQuery.ALL.withWorkflow("crm-test"));

    assertThat(found)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.runId()).isEqualTo(run);
              assertThat(c.decision()).isEqualTo(Decision.EDIT);
              assertThat(c.tool()).isEqualTo("update_bio");
              assertThat(c.caseId()).isEqualTo("correction-" + run + ".call_2_1");
              assertThat(c.approvalId()).isEqualTo(run + "/call_2_1");
            });
    JsonNode suiteCase = found.getFirst().suiteCase();
    assertThat(suiteCase.path("tags").get(0).asText()).isEqualTo("correction");
    assertThat(suiteCase.path("task").asText()).isEqualTo("Set the bio of L1");
    assertThat(suiteCase.path("description").asText())
        .isEqualTo("From run " + run + ": alice edited update_bio (" + run + "/call_2_1): shorter");
    assertThat(suiteCase.path("human").asText()).isEqualTo("approve-all");
    assertThat(suiteCase.path("script"))
        .isEqualTo(
            Json.tree(
                """
                [{"call":"get_lead","args":{"lead_id":"L1"}},
                 {"call":"update_bio","args":{"bio":"Baker in Millbrook.","lead_id":"L1"}},
                 {"say":"Proposed a bio for L1."}]"""));
    assertThat(suiteCase.path("expect"))
        .isEqualTo(
            Json.tree(
                """
                {"tool-calls":[{"tool":"get_lead","args":{"lead_id":"L1"}},
                 {"tool":"update_bio","args":{"bio":"Baker in Millbrook.","lead_id":"L1"}}]}"""));
  }

  @Test
  void aRejectionEndsTheScriptBeforeTheRejectedCallAndForbidsIt() throws Exception {
    RunId run = rejectedRun();

    Correction correction = Corrections.find(store, RunQuery.ALL).getFirst();

    assertThat(correction.decision()).isEqualTo(Decision.REJECT);
    assertThat(correction.suiteCase().path("script"))
        .isEqualTo(
            Json.tree(
                """
                [{"call":"get_lead","args":{"lead_id":"L1"}},
                 {"call":"get_lead","args":{"lead_id":"L2"}},
                 {"say":"I did not run update_bio: a reviewer rejected it (wrong lead)."}]"""));
    assertThat(correction.suiteCase().path("expect").path("no-calls"))
        .isEqualTo(Json.tree("[\"update_bio\"]"));
    assertThat(correction.suiteCase().path("expect").path("tool-calls")).hasSize(2);
    assertThat(correction.caseId()).contains(run.value());
  }

  @Test
  void approvalsAndTimeoutsAreNotCorrections() throws Exception {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("update_bio", Map.of("lead_id", "L1", "bio", "fine"))
                .thenAnswer("Done.")
                .build());
    runAndDecide(agent, "Set the bio of L1", Decision.APPROVE, null, "");
    RunId waiting = RunId.random();
    agent.run(waiting, "Set the bio of L1", "carol");
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(30)), ZoneOffset.UTC);
    assertThat(new Approvals(store, name -> Optional.of(agent), later).expire()).hasSize(1);

    assertThat(Corrections.find(store, RunQuery.ALL)).isEmpty();
  }

  @Test
  void exportedCasesRunGreenInTheHarness() throws Exception {
    editedRun();
    rejectedRun();
    Path file = dir.resolve("evals/corrections.yaml");

    CorrectionsFile.Written written =
        CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));

    assertThat(written.created()).isTrue();
    assertThat(written.written()).hasSize(2);
    EvalSuite suite = Suites.load(file);
    assertThat(suite.name()).isEqualTo("crm-test-corrections");
    assertThat(suite.workflow()).contains(WORKFLOW.normalize());
    assertThat(suite.cases()).allSatisfy(c -> assertThat(c.tags()).containsExactly("correction"));
    EvalReport report = EvalRunner.builder().workDirectory(dir.resolve("work")).build().run(suite);
    assertThat(report.failures()).isEmpty();
    assertThat(report.total()).isEqualTo(2);
  }

  @Test
  void exportingAgainNeverDuplicatesACase() throws Exception {
    editedRun();
    Path file = dir.resolve("corrections.yaml");
    CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));
    String first = Files.readString(file);
    rejectedRun();

    CorrectionsFile.Written again =
        CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));

    assertThat(again.created()).isFalse();
    assertThat(again.written()).hasSize(1);
    assertThat(again.skipped()).hasSize(1);
    assertThat(Files.readString(file)).startsWith(first);
    assertThat(Suites.load(file).cases()).hasSize(2);
    CorrectionsFile.Written third =
        CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));
    assertThat(third.written()).isEmpty();
    assertThat(third.skipped()).hasSize(2);
  }

  @Test
  void appendsToAHandWrittenSuiteKeepingItsTextAndIndentation() throws Exception {
    editedRun();
    Path file = dir.resolve("suite.yaml");
    String handWritten =
        """
        # the team's suite
        suite: crm
        workflow: %s
        cases:
            # a comment inside the list
            - id: mine
              tags: [normal]
              task: Read L1
              script: [{say: L1 is Mara.}]
              expect: {output: {contains: Mara}}   # keep this comment
        """
            .formatted(WORKFLOW);
    Files.writeString(file, handWritten);

    CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));

    String text = Files.readString(file);
    assertThat(text).startsWith(handWritten);
    assertThat(text.substring(handWritten.length())).startsWith("    - id: correction-");
    assertThat(Suites.load(file).cases()).extracting(EvalCase::id).hasSize(2).startsWith("mine");
  }

  @Test
  void writesAndAppendsJsonLines() throws Exception {
    editedRun();
    Path file = dir.resolve("corrections.jsonl");

    CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));
    rejectedRun();
    CorrectionsFile.write(file, WORKFLOW, "crm-test", Corrections.find(store, RunQuery.ALL));

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(Json.tree(lines.get(0)).path("suite").asText()).isEqualTo("crm-test-corrections");
    assertThat(Suites.load(file).cases()).hasSize(2);
  }

  @Test
  void aSuiteThatCannotBeAppendedToIsLeftAsItWas() throws Exception {
    editedRun();
    List<Correction> found = Corrections.find(store, RunQuery.ALL);
    Path inline = dir.resolve("inline.yaml");
    String inlineText =
        "suite: x\ncases: [{id: a, tags: [normal], task: t, expect: {max-steps: 1}}]\n";
    Files.writeString(inline, inlineText);
    assertThatThrownBy(() -> CorrectionsFile.write(inline, WORKFLOW, "crm-test", found))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'cases' is written inline");
    assertThat(Files.readString(inline)).isEqualTo(inlineText);

    Path notLast = dir.resolve("not-last.yaml");
    Files.writeString(
        notLast,
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {max-steps: 1}}\nrefusal-markers: [nope]\n");
    assertThatThrownBy(() -> CorrectionsFile.write(notLast, WORKFLOW, "crm-test", found))
        .hasMessageContaining(
            "'cases' is not the last key of the file ('refusal-markers' comes after it)");

    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "cases:\n  - {id: a}\n");
    assertThatThrownBy(() -> CorrectionsFile.write(broken, WORKFLOW, "crm-test", found))
        .hasMessageContaining("case 'a': tags");
  }

  @Test
  void caseIdsAreSafeAndStable() {
    RunId run = RunId.of("run-1");
    assertThat(Corrections.caseId(run, "call_1_1")).isEqualTo("correction-run-1.call_1_1");
    assertThat(Corrections.caseId(run, "call:a/b"))
        .matches("correction-run-1\\.call-a-b-[0-9a-f]{12}");
    String longId = Corrections.caseId(RunId.of("r".repeat(64)), "call_" + "x".repeat(40));
    assertThat(longId).hasSize(80).matches("[A-Za-z0-9._-]+");
    assertThat(Corrections.caseId(RunId.of("r".repeat(64)), "call_" + "x".repeat(40)))
        .isEqualTo(longId);
    assertThat(Corrections.caseId(RunId.of("r".repeat(64)), "call_" + "x".repeat(39) + "y"))
        .isNotEqualTo(longId);
  }
}
