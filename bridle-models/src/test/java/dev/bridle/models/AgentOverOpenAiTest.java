package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.Fault;
import dev.bridle.testkit.Responders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole loop through the real LangChain4j OpenAI adapter over real HTTP against the fake
 * server: provider faults end a run with a clear outcome, never an exception and never a hang.
 */
class AgentOverOpenAiTest {

  public record Noop(int n) {}

  private final AtomicInteger executions = new AtomicInteger();
  private final InMemoryRunStore journal = new InMemoryRunStore();
  private FakeOpenAiServer server;

  @BeforeEach
  void startServer() {
    server = FakeOpenAiServer.builder().responder(Responders.noopSteps(3)).build().start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Agent agent(Duration modelTimeout) {
    Tool<Noop> noop =
        Tool.builder("noop", Noop.class)
            .description("Does nothing")
            .effect(Effect.READ)
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  executions.incrementAndGet();
                  return "ok";
                })
            .build();
    ModelSpec spec =
        ModelSpec.of("openai", "gpt-test").withBaseUrl(server.baseUrl()).withTimeout(modelTimeout);
    return Agent.builder()
        .name("noop-agent")
        .model(ChatModels.create(spec, java.util.Map.of()))
        .tool(noop)
        .journal(journal)
        .build();
  }

  private RunResult run() {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> agent(Duration.ofSeconds(5)).run("Run the tool three times"));
  }

  @Test
  void completesOverHttpAndRecordsTheServingModelAndUsage() {
    RunResult result = run();

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(result.steps()).isEqualTo(4);
    assertThat(executions).hasValue(3);
    assertThat(result.usage().totalTokens()).isPositive();
    List<RunEvent.ModelResponded> responses = events(result, RunEvent.ModelResponded.class);
    assertThat(responses).hasSize(4);
    assertThat(responses).allSatisfy(r -> assertThat(r.modelId()).isEqualTo("openai:gpt-test"));
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void rateLimitedIsAFailedOutcomeNamingTheKind() {
    server.faultEveryRequest(Fault.rateLimited(Duration.ofSeconds(7)));

    RunResult result = run();

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(((RunOutcome.Failed) result.outcome()).reason())
        .startsWith("model call failed (rate_limited)");
    assertThat(executions).hasValue(0);
  }

  @Test
  void aServerErrorIsAFailedOutcomeNamingTheKind() {
    server.faultEveryRequest(Fault.serverError());

    RunResult result = run();

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(result.outcome().message()).contains("model call failed (provider_error)");
    assertThat(events(result, RunEvent.RunFailed.class)).hasSize(1);
  }

  @Test
  void aHangingProviderTimesOutInsteadOfHangingTheRun() {
    server.faultEveryRequest(Fault.hang(Duration.ofSeconds(30)));

    RunResult result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15), () -> agent(Duration.ofSeconds(1)).run("Run the tool"));

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(result.outcome().message()).contains("(timeout)");
  }

  @Test
  void aMalformedResponseBodyIsAFailedOutcome() {
    server.faultEveryRequest(Fault.malformedBody());

    RunResult result = run();

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(result.outcome().message()).startsWith("failed: model call failed (");
  }

  @Test
  void malformedToolCallJsonOnceIsAnObservationAndTheRunRecovers() {
    server.enqueueFault(Fault.malformedToolArguments());

    RunResult result = run();

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(result.toolCalls().get(0).status()).isEqualTo("invalid_arguments");
    RunEvent.ToolCallRejected rejected = events(result, RunEvent.ToolCallRejected.class).get(0);
    assertThat(rejected.observation()).contains("must be a JSON object");
  }

  @Test
  void malformedToolCallJsonForeverEndsAsALoopNotAHang() {
    server.faultEveryRequest(Fault.malformedToolArguments());

    RunResult result = run();

    assertThat(result.outcome()).isInstanceOf(RunOutcome.LoopDetected.class);
    assertThat(executions).hasValue(0);
  }

  @Test
  void anUnknownToolFromTheProviderIsAnObservationListingTheRealTools() {
    server.enqueueFault(Fault.unknownTool("delete_everything"));

    RunResult result = run();

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::name, ToolCallSummary::status)
        .first()
        .isEqualTo(org.assertj.core.groups.Tuple.tuple("delete_everything", "unknown_tool"));
    assertThat(events(result, RunEvent.ToolCallRejected.class).get(0).observation())
        .isEqualTo("Unknown tool 'delete_everything'. The tools you may call are: noop.");
  }

  private <T extends RunEvent> List<T> events(RunResult result, Class<T> type) {
    return journal.read(result.runId()).stream()
        .map(JournalEntry::event)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
