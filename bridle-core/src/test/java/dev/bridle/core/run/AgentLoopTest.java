package dev.bridle.core.run;

import static dev.bridle.core.model.ScriptedChatModel.Builder.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentLoopTest {

  enum Unit {
    CELSIUS,
    FAHRENHEIT
  }

  record Forecast(
      @JsonPropertyDescription("City name") String city,
      @JsonPropertyDescription("Days ahead") @Min(0) @Max(7) int days,
      Unit unit) {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryRunStore journal = new InMemoryRunStore();
  private final List<String> executed = new CopyOnWriteArrayList<>();

  private final Tool<Forecast> forecast =
      Tool.builder("forecast", Forecast.class)
          .description("Weather forecast for a city")
          .effect(Effect.READ)
          .idempotent(true)
          .handler(
              (args, ctx) -> {
                executed.add(args.city() + "/" + args.days() + "/" + ctx.idempotencyKey());
                return Map.of("city", args.city(), "temperature", 21);
              })
          .build();

  private Agent.Builder agent(ChatModel model) {
    return Agent.builder()
        .name("weather")
        .version("7")
        .instructions("Answer with the forecast.")
        .model(model)
        .tool(forecast)
        .clock(clock)
        .journal(journal);
  }

  private static Map<String, Object> paris(int days) {
    return Map.of("city", "Paris", "days", days, "unit", "CELSIUS");
  }

  @Test
  void completesAfterToolCallsAndJournalsEveryStep() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("forecast", paris(1))
            .thenAnswer("Sunny, 21 degrees")
            .build();

    RunResult result = agent(model).build().run(RunId.of("run-1"), "Weather in Paris tomorrow?");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("Sunny, 21 degrees"));
    assertThat(result.steps()).isEqualTo(2);
    assertThat(result.toolCalls())
        .containsExactly(
            new ToolCallSummary(
                "call_1_1",
                "forecast",
                "{\"city\":\"Paris\",\"days\":1,\"unit\":\"CELSIUS\"}",
                "succeeded"));
    assertThat(executed).containsExactly("Paris/1/run-1/call_1_1");
    assertThat(eventTypes())
        .containsExactly(
            "RunStarted",
            "ModelResponded",
            "ToolCallProposed",
            "PolicyDecided",
            "ToolCallStarted",
            "ToolCallCompleted",
            "ModelResponded",
            "RunCompleted");
    RunEvent.RunStarted started = (RunEvent.RunStarted) journal.read(result.runId()).get(0).event();
    assertThat(started.agent()).isEqualTo("agent:weather@7");
    assertThat(started.modelId()).isEqualTo("scripted:test");
  }

  @Test
  void replayingTheJournalRebuildsTheSameState() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCalls(call("forecast", paris(1)), call("nope", Map.of()))
            .thenAnswer("done")
            .build();
    RunResult result = agent(model).build().run("task");

    RunState replayed = RunState.replay(result.runId(), journal.read(result.runId()));

    assertThat(replayed.toolCalls()).isEqualTo(result.toolCalls());
    assertThat(replayed.steps()).isEqualTo(result.steps());
    assertThat(replayed.ended()).containsInstanceOf(RunEvent.RunCompleted.class);
    assertThat(replayed.conversation())
        .extracting(m -> m.getClass().getSimpleName())
        .containsExactly("System", "User", "Assistant", "ToolResult", "ToolResult", "Assistant");
  }

  @Test
  void severalCallsInOneResponseRunOneByOneInOrder() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCalls(
                call("forecast", paris(1)), call("forecast", paris(2)), call("forecast", paris(3)))
            .thenAnswer("three days")
            .build();

    RunResult result = agent(model).build().run("task");

    assertThat(result.completed()).isTrue();
    assertThat(executed)
        .extracting(s -> s.substring(0, s.indexOf("/run")))
        .containsExactly("Paris/1", "Paris/2", "Paris/3");
  }

  @Test
  void hallucinatedToolBecomesAnObservationListingTheAllowedTools() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("get_weather", Map.of("city", "Paris"))
            .thenCall("forecast", paris(0))
            .thenAnswer("ok")
            .build();

    RunResult result = agent(model).build().run("task");

    assertThat(result.completed()).isTrue();
    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::status)
        .containsExactly("unknown_tool", "succeeded");
    RunEvent.ToolCallRejected rejected = only(RunEvent.ToolCallRejected.class, result.runId());
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.UNKNOWN_TOOL);
    assertThat(rejected.observation())
        .isEqualTo("Unknown tool 'get_weather'. The tools you may call are: forecast.");
  }

  @Test
  void invalidArgumentsNameTheSchemaPathAndTheRuleAndNothingRuns() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("forecast", Map.of("city", "Paris", "days", 9, "unit", "KELVIN"))
            .thenAnswer("gave up")
            .build();

    RunResult result = agent(model).build().run("task");

    assertThat(executed).isEmpty();
    RunEvent.ToolCallRejected rejected = only(RunEvent.ToolCallRejected.class, result.runId());
    assertThat(rejected.reason()).isEqualTo(RunEvent.Rejection.INVALID_ARGUMENTS);
    assertThat(rejected.observation())
        .contains("$.days")
        .contains("(rule: maximum)")
        .contains("$.unit")
        .contains("(rule: enum)");
  }

  @Test
  void missingAndExtraArgumentsAreRejected() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("forecast", Map.of("city", "Paris", "colour", "red"))
            .thenAnswer("gave up")
            .build();

    RunResult result = agent(model).build().run("task");

    String observation = only(RunEvent.ToolCallRejected.class, result.runId()).observation();
    assertThat(observation).contains("(rule: required)").contains("(rule: additionalProperties)");
  }

  @Test
  void malformedArgumentJsonIsAnObservationNotACrash() {
    ChatModel model =
        request ->
            request.messages().size() < 3
                ? toolCall("forecast", "{\"city\": \"Par")
                : new ModelResponse(ChatMessage.Assistant.text("sorry"), Usage.ZERO, "m");

    RunResult result = agent(model).build().run("task");

    assertThat(result.completed()).isTrue();
    assertThat(only(RunEvent.ToolCallRejected.class, result.runId()).observation())
        .contains("must be a JSON object");
  }

  @Test
  void theSameCallRepeatedIsStoppedAsALoopBeforeItRunsAgain() {
    ChatModel model =
        request -> toolCall("forecast", "{\"days\":1,\"city\":\"Paris\",\"unit\":\"CELSIUS\"}");

    RunResult result = agent(model).limits(Limits.DEFAULT.withLoopThreshold(3)).build().run("task");

    assertThat(result.outcome())
        .isEqualTo(
            new RunOutcome.LoopDetected(
                "forecast", "{\"city\":\"Paris\",\"days\":1,\"unit\":\"CELSIUS\"}", 3));
    assertThat(executed).hasSize(2);
    assertThat(lastEvent(result.runId())).isInstanceOf(RunEvent.RunFailed.class);
    assertThat(((RunEvent.RunFailed) lastEvent(result.runId())).kind())
        .isEqualTo(RunEvent.FailureKind.LOOP);
  }

  @Test
  void repeatedUnknownToolsAreCountedByTheLoopDetector() {
    ChatModel model = request -> toolCall("imaginary", "{}");

    RunResult result = agent(model).build().run("task");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.LoopDetected.class);
  }

  @Test
  void stopsAtTheStepLimit() {
    int[] n = {0};
    ChatModel model =
        request ->
            toolCall(
                "forecast",
                "{\"city\":\"Paris\",\"days\":" + (n[0]++ % 8) + ",\"unit\":\"CELSIUS\"}");

    RunResult result = agent(model).limits(Limits.DEFAULT.withMaxSteps(4)).build().run("task");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.StepLimitReached(4));
    assertThat(result.steps()).isEqualTo(4);
    assertThat(executed).hasSize(4);
  }

  @Test
  void stopsAtTheDeadlineMeasuredByTheInjectedClock() {
    int[] n = {0};
    ChatModel model =
        request -> {
          clock.advance(Duration.ofSeconds(40));
          return toolCall(
              "forecast",
              "{\"city\":\"Paris\",\"days\":" + (n[0]++ % 8) + ",\"unit\":\"CELSIUS\"}");
        };

    RunResult result =
        agent(model).limits(Limits.DEFAULT.withDeadline(Duration.ofSeconds(100))).build().run("t");

    assertThat(result.outcome())
        .isEqualTo(new RunOutcome.DeadlineExceeded(Duration.ofSeconds(100)));
    assertThat(result.steps()).isEqualTo(3);
    assertThat(executed).hasSize(2);
  }

  @Test
  void aModelFailureEndsTheRunWithAClearReason() {
    ChatModel model =
        request -> {
          throw new ModelException(
              ModelException.Kind.RATE_LIMITED,
              "429 Too Many Requests",
              Duration.ofSeconds(3),
              null);
        };

    RunResult result = agent(model).build().run("task");

    assertThat(result.outcome())
        .isEqualTo(
            new RunOutcome.Failed("model call failed (rate_limited): 429 Too Many Requests"));
    RunEvent.RunFailed failed = (RunEvent.RunFailed) lastEvent(result.runId());
    assertThat(failed.kind()).isEqualTo(RunEvent.FailureKind.ERROR);
  }

  @Test
  void anAdapterBugIsAFailedOutcomeNotAnException() {
    ChatModel model =
        request -> {
          throw new IllegalStateException("boom");
        };

    RunResult result = agent(model).build().run("task");

    assertThat(result.outcome())
        .isEqualTo(new RunOutcome.Failed("model adapter error: IllegalStateException: boom"));
  }

  @Test
  void aFailingToolIsAnErrorObservationAndTheRunGoesOn() {
    Tool<Forecast> broken =
        Tool.builder("forecast", Forecast.class)
            .description("Weather")
            .handler(
                (args, ctx) -> {
                  throw new IllegalArgumentException("no station in " + args.city());
                })
            .build();
    ScriptedChatModel model =
        ScriptedChatModel.builder().thenCall("forecast", paris(1)).thenAnswer("no data").build();

    RunResult result =
        Agent.builder().name("w").model(model).tool(broken).journal(journal).build().run("t");

    assertThat(result.completed()).isTrue();
    RunEvent.ToolCallCompleted completed = only(RunEvent.ToolCallCompleted.class, result.runId());
    assertThat(completed.status()).isEqualTo(RunEvent.CallStatus.FAILED);
    assertThat(completed.observation())
        .isEqualTo("Tool 'forecast' failed: IllegalArgumentException: no station in Paris");
  }

  @Test
  void aSlowToolTimesOutAndIsInterrupted() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    Tool<Forecast> slow =
        Tool.builder("forecast", Forecast.class)
            .description("Weather")
            .timeout(Duration.ofMillis(50))
            .handler(
                (args, ctx) -> {
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                  }
                  return "late";
                })
            .build();
    ScriptedChatModel model =
        ScriptedChatModel.builder().thenCall("forecast", paris(1)).thenAnswer("timed out").build();

    RunResult result =
        Agent.builder().name("w").model(model).tool(slow).journal(journal).build().run("t");

    assertThat(result.completed()).isTrue();
    RunEvent.ToolCallCompleted completed = only(RunEvent.ToolCallCompleted.class, result.runId());
    assertThat(completed.status()).isEqualTo(RunEvent.CallStatus.TIMED_OUT);
    assertThat(completed.observation()).isEqualTo("Tool 'forecast' timed out after 50 ms.");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anEmptyAnswerIsAFailure() {
    ChatModel model = request -> new ModelResponse(ChatMessage.Assistant.text(""), Usage.ZERO, "m");

    assertThat(agent(model).build().run("t").outcome())
        .isEqualTo(new RunOutcome.Failed("the model answered with neither text nor a tool call"));
  }

  @Test
  void callIdsRepeatedByTheProviderAreMadeUniqueInTheRun() {
    int[] n = {0};
    ChatModel repeatsIds =
        request ->
            n[0]++ < 2
                ? new ModelResponse(
                    new ChatMessage.Assistant(
                        "",
                        List.of(
                            new ToolCall(
                                "call_0",
                                "forecast",
                                "{\"city\":\"Paris\",\"days\":"
                                    + n[0]
                                    + ",\"unit\":\"CELSIUS\"}"))),
                    Usage.ZERO,
                    "m")
                : new ModelResponse(ChatMessage.Assistant.text("ok"), Usage.ZERO, "m");

    RunResult result = agent(repeatsIds).build().run(RunId.of("run-ids"), "t");

    assertThat(result.toolCalls())
        .extracting(ToolCallSummary::callId)
        .containsExactly("call_0", "call_0-2-2");
    assertThat(executed).containsExactly("Paris/1/run-ids/call_0", "Paris/2/run-ids/call_0-2-2");
  }

  @Test
  void usageIsSummedOverModelCalls() {
    int[] n = {0};
    ChatModel model =
        request ->
            n[0]++ == 0
                ? new ModelResponse(
                    new ChatMessage.Assistant(
                        "",
                        List.of(
                            new ToolCall(
                                "c1",
                                "forecast",
                                "{\"city\":\"A\",\"days\":1,\"unit\":\"CELSIUS\"}"))),
                    new Usage(100, 20, 10),
                    "m")
                : new ModelResponse(ChatMessage.Assistant.text("ok"), new Usage(150, 5, 0), "m");

    RunResult result = agent(model).build().run("t");

    assertThat(result.usage()).isEqualTo(new Usage(250, 25, 10));
  }

  private static ModelResponse toolCall(String name, String arguments) {
    return new ModelResponse(
        new ChatMessage.Assistant(
            "", List.of(new ToolCall("c" + System.nanoTime(), name, arguments))),
        Usage.ZERO,
        "test-model");
  }

  private List<String> eventTypes() {
    RunId id = journal.runIds().get(0);
    return journal.read(id).stream().map(e -> e.event().getClass().getSimpleName()).toList();
  }

  private RunEvent lastEvent(RunId runId) {
    List<JournalEntry> entries = journal.read(runId);
    return entries.get(entries.size() - 1).event();
  }

  private <T extends RunEvent> T only(Class<T> type, RunId runId) {
    List<T> matching =
        journal.read(runId).stream()
            .map(JournalEntry::event)
            .filter(type::isInstance)
            .map(type::cast)
            .toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }
}
