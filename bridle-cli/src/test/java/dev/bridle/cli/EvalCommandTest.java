package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.testkit.Conversation;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

  @TempDir Path dir;

  Path workflow;

  @BeforeEach
  void writeWorkflow() throws Exception {
    workflow = dir.resolve("workflow.yaml");
    Files.writeString(
        workflow,
        """
        name: records
        version: "3"
        goal: Close the record named in the task, with a human's approval.
        model: {provider: scripted, name: scripted}
        tools: [cli-eval-test]
        effect-cap: write
        policy:
          rules:
            - {id: reads, tools: get_record, verdict: allow}
            - {id: writes, tools: set_record, verdict: ask}
        """);
  }

  private Path suite(String cases) throws Exception {
    Path file = dir.resolve("suite.yaml");
    Files.writeString(file, "suite: records\nworkflow: workflow.yaml\n" + cases);
    return file;
  }

  private static final String TWO_PASSING =
      """
      cases:
        - id: close-r1
          tags: [normal]
          task: Close R1
          script:
            - {call: get_record, args: {id: R1}}
            - {call: set_record, args: {id: R1, status: closed}}
            - say: R1 is closed.
          human: approve-all
          expect:
            outcome: completed
            tool-calls: [{tool: set_record, args: {status: closed}, status: executed}]
        - id: unknown-record
          tags: [missing-data]
          task: Close R9
          script:
            - {call: get_record, args: {id: R9}}
            - say: There is no record R9, so I changed nothing.
          expect:
            no-calls: [set_record]
            tool-calls: [{tool: get_record, status: failed}]
      """;

  private static final String ONE_FAILING =
      """
        - id: wrong
          tags: [normal]
          task: Close R2
          script: [{say: "Done."}]
          expect: {tool-calls: [{tool: set_record}]}
      """;

  @Test
  void aPassingSuiteExitsZeroWithProgressSummaryAndReports() throws Exception {
    java.util.Map<String, String> production = java.util.Map.copyOf(EvalTestTools.PRODUCTION);
    Path json = dir.resolve("out/report.json");
    Path html = dir.resolve("out/report.html");

    CliHarness.Execution run =
        CliHarness.execute(
            "eval",
            suite(TWO_PASSING).toString(),
            "--json",
            json.toString(),
            "--report",
            html.toString(),
            "--parallel",
            "2");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.err()).contains("] pass close-r1 (completed)").contains("] pass unknown-record");
    assertThat(run.out())
        .contains(
            "Suite records: workflow records@3, model scripted  [scripted: no LLM was called]")
        .contains("2 cases: 2 passed, 0 failed (100.0%)")
        .contains("missing-data")
        .contains("Gate: 100.0% meets --min-pass 100.0%")
        .contains("JSON report: " + json);
    JsonNode report = Json.MAPPER.readTree(Files.readString(json));
    assertThat(report.path("passRate").asDouble()).isEqualTo(1.0);
    assertThat(report.path("gate").path("passed").asBoolean()).isTrue();
    assertThat(Files.readString(html)).contains("2 of 2 cases passed");
    assertThat(EvalTestTools.PRODUCTION).isEqualTo(production);
  }

  @Test
  void recordSavesTheResultAsEvidenceForTheWorkflowsVersion() throws Exception {
    String db = "sqlite:" + dir.resolve("evidence.db");
    Path file = suite(TWO_PASSING + ONE_FAILING);

    CliHarness.Execution run =
        CliHarness.execute("eval", file.toString(), "--min-pass", "0.5", "--record", "--db", db);

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.err()).contains("recorded records@scripted for records@3");
    try (dev.bridle.core.journal.RunStore store = dev.bridle.store.RunStores.open(db)) {
      assertThat(dev.bridle.store.RunStores.deploymentEvidence(store).evaluations("records", 10))
          .singleElement()
          .satisfies(
              record -> {
                assertThat(record.version()).isEqualTo("3");
                assertThat(record.suite()).isEqualTo("records@scripted");
                assertThat(record.total()).isEqualTo(3);
                assertThat(record.passed()).isEqualTo(2);
              });
    }
  }

  @Test
  void recordRefusesASubsetOfTags() throws Exception {
    Path dbFile = dir.resolve("subset.db");

    CliHarness.Execution run =
        CliHarness.execute(
            "eval",
            suite(TWO_PASSING).toString(),
            "--tag",
            "normal",
            "--record",
            "--db",
            "sqlite:" + dbFile);

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("run the whole suite to record it");
    assertThat(dbFile).doesNotExist();
  }

  @Test
  void withoutRecordNothingIsWrittenToTheStore() throws Exception {
    Path dbFile = dir.resolve("untouched.db");

    CliHarness.Execution run =
        CliHarness.execute("eval", suite(TWO_PASSING).toString(), "--db", "sqlite:" + dbFile);

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(dbFile).doesNotExist();
  }

  @Test
  void belowTheGateExitsWithItsOwnCode() throws Exception {
    Path file = suite(TWO_PASSING + ONE_FAILING);

    CliHarness.Execution strict = CliHarness.execute("eval", file.toString());
    assertThat(strict.exitCode()).isEqualTo(ExitCode.BELOW_GATE).isEqualTo(4);
    assertThat(strict.err())
        .contains("FAIL wrong (completed): tool-calls: expected call 1, set_record");
    assertThat(strict.out())
        .contains("3 cases: 2 passed, 1 failed (66.7%)")
        .contains(
            "Failures:\n  wrong [normal]\n    tool-calls: expected call 1, set_record, was not made")
        .contains("calls made: none")
        .contains("Gate: 66.7% is below --min-pass 100.0% (exit code 4)");

    CliHarness.Execution lenient = CliHarness.execute("eval", file.toString(), "--min-pass", "0.6");
    assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(lenient.out()).contains("Gate: 66.7% meets --min-pass 60.0%");
  }

  @Test
  void tagsSelectCasesAndJsonCanGoToStdout() throws Exception {
    Path file = suite(TWO_PASSING + ONE_FAILING);

    CliHarness.Execution run =
        CliHarness.execute("eval", file.toString(), "--tag", "missing-data", "--json", "-");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    JsonNode report = run.json();
    assertThat(report.path("cases").findValuesAsText("id")).containsExactly("unknown-record");

    CliHarness.Execution none = CliHarness.execute("eval", file.toString(), "--tag", "nope");
    assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err())
        .contains("no case of " + file + " has the tag nope; its tags: missing-data, normal");
  }

  @Test
  void badSuiteFilesAreUsageErrorsNamingTheProblem() throws Exception {
    Path bad =
        suite(
            "cases:\n  - {id: a, tags: [normal], task: t, script: [{say: x}], expect: {outcome: done}}\n");
    CliHarness.Execution unknownOutcome = CliHarness.execute("eval", bad.toString());
    assertThat(unknownOutcome.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknownOutcome.err())
        .startsWith("bridle: " + bad + ": case 'a': expect.outcome: unknown outcome 'done'");

    CliHarness.Execution missing = CliHarness.execute("eval", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("nope.yaml: no such suite file");

    CliHarness.Execution noSuite = CliHarness.execute("eval");
    assertThat(noSuite.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noSuite.err()).contains("name a suite file");

    CliHarness.Execution badGate =
        CliHarness.execute("eval", suite(TWO_PASSING).toString(), "--min-pass", "1.5");
    assertThat(badGate.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badGate.err()).contains("--min-pass must be between 0 and 1, but was 1.5");
  }

  @Test
  void aProviderThatCannotIsolateItsDataIsRefusedBeforeAnyCaseRuns() throws Exception {
    Path other = dir.resolve("governance.yaml");
    Files.writeString(
        other,
        """
        name: governance
        version: "1"
        goal: Set statuses.
        model: {provider: scripted, name: scripted}
        tools: [cli-governance-test]
        effect-cap: external
        """);
    Path file =
        suite(
            "cases:\n  - {id: a, tags: [normal], task: t, script: [{say: x}], expect: {max-steps: 1}}\n");

    CliHarness.Execution run =
        CliHarness.execute("eval", file.toString(), "--workflow", other.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .contains(
            "cannot evaluate workflow 'governance': tool provider 'cli-governance-test' cannot run on isolated data");
  }

  @Test
  void theWorkflowsModelAndAGraderRunThroughTheRealAdapter() throws Exception {
    try (FakeOpenAiServer server =
        FakeOpenAiServer.builder()
            .responder(
                request -> {
                  Conversation conversation = Conversation.of(request);
                  String system = conversation.messages().getFirst().path("content").asText();
                  if (system.startsWith("You grade")) {
                    return FakeReply.text("{\"pass\": true, \"reason\": \"It names R1.\"}");
                  }
                  return conversation.assistantTurns() == 0
                      ? FakeReply.toolCall("get_record", Json.tree("{\"id\":\"R1\"}"))
                      : FakeReply.text("R1 is open.");
                })
            .build()
            .start()) {
      Files.writeString(
          workflow,
          Files.readString(workflow)
              .replace(
                  "model: {provider: scripted, name: scripted}",
                  "model: {provider: openai, name: gpt-test, base-url: \""
                      + server.baseUrl()
                      + "\"}"));
      Path file =
          suite(
              """
              cases:
                - id: read-r1
                  tags: [normal]
                  task: What is the status of R1?
                  expect:
                    tool-calls: [{tool: get_record, args: {id: R1}, status: executed}]
                    output: {contains: open}
                    graded: The answer gives R1's status.
              """);

      CliHarness.Execution run =
          CliHarness.execute(
              "eval",
              file.toString(),
              "--model",
              "workflow",
              "--grader-model",
              "openai:grader-test",
              "--grader-model-url",
              server.baseUrl(),
              "--json",
              "-");

      assertThat(run.err()).contains("pass read-r1");
      assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
      JsonNode report = run.json();
      assertThat(report.path("model").asText()).contains("gpt-test");
      assertThat(report.path("cases").get(0).path("scores").findValuesAsText("detail"))
          .contains("grader openai:grader-test: It names R1.");
    }
  }

  @Test
  void aRealModelSkipsScriptedOnlyCasesInTheSummaryTheGateAndTheRecord() throws Exception {
    try (FakeOpenAiServer server =
        FakeOpenAiServer.builder()
            .responder(
                request ->
                    Conversation.of(request).assistantTurns() == 0
                        ? FakeReply.toolCall("get_record", Json.tree("{\"id\":\"R1\"}"))
                        : FakeReply.text("R1 is open."))
            .build()
            .start()) {
      Files.writeString(
          workflow,
          Files.readString(workflow)
              .replace(
                  "model: {provider: scripted, name: scripted}",
                  "model: {provider: openai, name: gpt-test, base-url: \""
                      + server.baseUrl()
                      + "\"}"));
      Path file =
          suite(
              """
              cases:
                - id: read-r1
                  tags: [normal]
                  task: What is the status of R1?
                  expect:
                    tool-calls: [{tool: get_record, args: {id: R1}, status: executed}]
                    output: {contains: open}
                - id: garbled-call
                  tags: [malformed-output]
                  scripted-only: true
                  task: What is the status of R1?
                  script:
                    - {call: get_record, raw-args: "{id: R1"}
                    - say: Sorry.
                  expect:
                    tool-calls: [{tool: get_record, status: invalid}]
              """);
      String db = "sqlite:" + dir.resolve("evidence.db");

      CliHarness.Execution run =
          CliHarness.execute(
              "eval", file.toString(), "--model", "workflow", "--record", "--db", db);

      assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
      assertThat(run.err()).contains("[1/1] pass read-r1").doesNotContain("garbled-call");
      assertThat(run.out())
          .contains(
              "1 cases: 1 passed, 0 failed (100.0%); 1 scripted-only case not run (not applicable"
                  + " to a real model, not in the pass rate or the gate)")
          .contains("Gate: 100.0% meets --min-pass 100.0%");
      try (var store = dev.bridle.store.RunStores.open(db)) {
        assertThat(dev.bridle.store.RunStores.deploymentEvidence(store).evaluations("records", 10))
            .singleElement()
            .satisfies(
                record -> {
                  assertThat(record.suite()).startsWith("records@").contains("gpt-test");
                  assertThat(record.total()).isEqualTo(1);
                  assertThat(record.passed()).isEqualTo(1);
                });
      }

      CliHarness.Execution onlyScripted =
          CliHarness.execute(
              "eval", file.toString(), "--model", "workflow", "--tag", "malformed-output");

      assertThat(onlyScripted.exitCode()).isEqualTo(ExitCode.USAGE);
      assertThat(onlyScripted.err()).contains("every selected case (1) is scripted-only");
    }
  }
}
