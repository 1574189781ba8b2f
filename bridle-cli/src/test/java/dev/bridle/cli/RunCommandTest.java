package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.testkit.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  static final Path WORKFLOW = Path.of("../examples/support-triage/workflow.yaml");
  static final String TICKET =
      "Hi, I was charged twice for my Pro subscription this month. Please fix it. -- Dana";

  @TempDir static Path storeDir;

  static CliHarness.Execution bridle(String... args) {
    return CliHarness.bridle(storeDir, args);
  }

  @Test
  void runsTheExampleWithTheScriptedModelAndPrintsOneJsonObject() throws Exception {
    CliHarness.Execution run =
        bridle("run", WORKFLOW.toString(), "--input", TICKET, "--model", "scripted", "--json");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    JsonNode json = run.json();
    assertThat(json.path("outcome").asText()).isEqualTo("completed");
    assertThat(json.path("runId").asText()).startsWith("run-");
    assertThat(json.path("scripted").asBoolean()).isTrue();
    assertThat(json.path("model").asText()).isEqualTo("scripted:support-triage");
    assertThat(json.path("answer").asText()).isNotBlank();
    assertThat(json.path("steps").asInt()).isEqualTo(5);
    assertThat(json.path("toolCalls").findValuesAsText("name"))
        .containsExactly(
            "classify_ticket",
            "search_similar_tickets",
            "get_ticket",
            "draft_reply",
            "create_internal_note");
    assertThat(json.path("toolCalls").findValuesAsText("status")).containsOnly("succeeded");
    assertThat(json.path("toolCalls").get(1).path("arguments").path("query").asText())
        .isEqualTo("Ticket: " + TICKET);
    assertThat(json.path("usage").has("totalTokens")).isTrue();
  }

  @Test
  void printsAReadableReportLabelledAsScripted() {
    CliHarness.Execution run =
        bridle("run", WORKFLOW.toString(), "--input", TICKET, "--model", "scripted");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains("[scripted model: no LLM was called]")
        .contains("Outcome: completed (5 model calls)")
        .contains("classify_ticket");
  }

  @Test
  void runsTheWorkflowThroughTheRealOpenAiAdapterAgainstTheFakeServer() throws Exception {
    try (FakeOpenAiServer server =
        FakeOpenAiServer.builder().responder(FakeScripts.supportTriage(TICKET)).build().start()) {
      CliHarness.Execution run =
          bridle(
              "run",
              WORKFLOW.toString(),
              "--input",
              TICKET,
              "--model",
              "openai:gpt-test",
              "--model-url",
              server.baseUrl(),
              "--json");

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
      JsonNode json = run.json();
      assertThat(json.path("scripted").asBoolean()).isFalse();
      assertThat(json.path("model").asText()).startsWith("openai:");
      assertThat(json.path("toolCalls").findValuesAsText("status")).containsOnly("succeeded");
      assertThat(json.path("toolCalls")).hasSize(5);
      assertThat(json.path("usage").path("totalTokens").asLong()).isPositive();
      assertThat(server.requestCount()).isEqualTo(5);
    }
  }

  @Test
  void aProviderFailureIsAFailedOutcomeWithExitCode1() throws Exception {
    try (FakeOpenAiServer server =
        FakeOpenAiServer.builder().responder(FakeScripts.supportTriage(TICKET)).build().start()) {
      server.faultEveryRequest(dev.bridle.testkit.Fault.serverError());
      CliHarness.Execution run =
          bridle(
              "run",
              WORKFLOW.toString(),
              "--input",
              TICKET,
              "--model",
              "openai:gpt-test",
              "--model-url",
              server.baseUrl(),
              "--json");

      assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(run.json().path("outcome").asText()).isEqualTo("failed");
      assertThat(run.json().path("message").asText()).contains("provider_error");
    }
  }

  @Test
  void aMalformedWorkflowIsAUsageErrorNamingFileLineAndKey(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, Files.readString(WORKFLOW).replace("max-steps:", "max-stepz:"));

    CliHarness.Execution run =
        bridle("run", broken.toString(), "--input", TICKET, "--model", "scripted");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .startsWith("bridle: " + broken + ":")
        .contains("unknown key 'max-stepz' in 'limits'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(bridle("run", WORKFLOW.toString()).exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bridle("run", WORKFLOW.toString(), "--input", " ").exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(
            bridle(
                    "run",
                    WORKFLOW.toString(),
                    "--input",
                    "x".repeat(100_001),
                    "--model",
                    "scripted")
                .err())
        .contains("the limit is 100000");
    CliHarness.Execution badModel =
        bridle("run", WORKFLOW.toString(), "--input", "t", "--model", "gpt4");
    assertThat(badModel.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badModel.err()).contains("model must be 'scripted' or 'provider:name'");
    assertThat(bridle("run", "nope.yaml", "--input", "t").err())
        .isEqualTo("bridle: nope.yaml: no such workflow file" + System.lineSeparator());
  }

  @Test
  void aMissingApiKeyIsAUsageErrorNamingTheVariable() {
    Assumptions.assumeTrue(
        System.getenv("ANTHROPIC_API_KEY") == null, "ANTHROPIC_API_KEY is set in this environment");
    CliHarness.Execution run =
        bridle("run", WORKFLOW.toString(), "--input", TICKET, "--model", "anthropic:claude-x");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("ANTHROPIC_API_KEY");
  }
}
