package dev.bridle.testkit;

import static dev.bridle.testkit.ChatCompletionsClient.json;
import static dev.bridle.testkit.ChatCompletionsClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerTest {

  private final List<FakeOpenAiServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(FakeOpenAiServer::close);
  }

  private FakeOpenAiServer start(FakeOpenAiServer.Builder builder) {
    FakeOpenAiServer server = builder.build().start();
    servers.add(server);
    return server;
  }

  private ChatCompletionsClient clientFor(FakeOpenAiServer server) {
    return new ChatCompletionsClient(server.baseUrl());
  }

  @Test
  void answersTextInTheOpenAiWireFormat() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    FakeOpenAiServer server =
        start(FakeOpenAiServer.builder().responder(Responders.text("Hello there")).clock(clock));

    HttpResponse<String> response = clientFor(server).post(request("gpt-test", 0));

    assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = json(response);
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isEqualTo(1_700_000_000L);
    assertThat(body.path("model").asText()).isEqualTo("gpt-test");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello there");
    assertThat(choice.path("message").has("tool_calls")).isFalse();
    // "You are a test." + "Do the task." = 27 characters -> 7 tokens; "Hello there" = 11 -> 3.
    assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(7);
    assertThat(body.path("usage").path("completion_tokens").asLong()).isEqualTo(3);
    assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(10);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.requests()).hasSize(1);
    assertThat(server.lastRequest().orElseThrow().path("model").asText()).isEqualTo("gpt-test");
  }

  @Test
  void noopStepsCallsTheFirstToolUntilTheStepsAreDone() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder().responder(Responders.noopSteps(2)));
    ChatCompletionsClient client = clientFor(server);

    JsonNode first = json(client.post(request("m", 0, "noop", "other")));
    JsonNode second = json(client.post(request("m", 1, "noop", "other")));
    JsonNode last = json(client.post(request("m", 2, "noop", "other")));

    JsonNode firstChoice = first.path("choices").get(0);
    assertThat(firstChoice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(firstChoice.path("message").path("content").isNull()).isTrue();
    JsonNode call = firstChoice.path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isNotBlank();
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("noop");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"n\":0}");
    assertThat(second.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"n\":1}");
    assertThat(last.at("/choices/0/message/content").asText()).isEqualTo("done");
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void stepsHeaderOverridesTheResponderForOneRequest() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder().responder(Responders.text("hi")));
    ChatCompletionsClient client = clientFor(server);

    JsonNode overridden = json(client.post(request("m", 2, "noop"), "x-fake-steps", "3"));
    JsonNode plain = json(client.post(request("m", 2, "noop")));
    HttpResponse<String> invalid = client.post(request("m", 0, "noop"), "x-fake-steps", "many");

    assertThat(overridden.at("/choices/0/message/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"n\":2}");
    assertThat(plain.at("/choices/0/message/content").asText()).isEqualTo("hi");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid).at("/error/message").asText()).contains("x-fake-steps");
  }

  @Test
  void scriptedMultipleToolCallsKeepTheirOrderAndDistinctIds() {
    FakeOpenAiServer server =
        start(
            FakeOpenAiServer.builder()
                .responder(
                    Responders.script(
                        List.of(
                            FakeReply.toolCalls(
                                List.of(
                                    new FakeToolCall("first", "{\"a\":1}"),
                                    new FakeToolCall("second", "{\"b\":2}"),
                                    new FakeToolCall("third", "{}")))))));

    JsonNode calls =
        json(clientFor(server).post(request("m", 0))).at("/choices/0/message/tool_calls");

    assertThat(calls).hasSize(3);
    assertThat(calls.findValuesAsText("name")).containsExactly("first", "second", "third");
    assertThat(calls.findValuesAsText("arguments")).containsExactly("{\"a\":1}", "{\"b\":2}", "{}");
    assertThat(calls.findValuesAsText("id")).doesNotHaveDuplicates();
  }

  @Test
  void refusesStreamingWithAnOpenAiError() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    var body = request("m", 0).put("stream", true);

    HttpResponse<String> response = clientFor(server).post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response).path("error");
    assertThat(error.path("message").asText()).contains("Streaming is not supported");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("stream");
  }

  @Test
  void refusesARequestBodyThatIsNotJson() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());

    HttpResponse<String> response = clientFor(server).post("{not json");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).at("/error/message").asText()).contains("not valid JSON");
  }

  @Test
  void listsModelsAndAnswersUnknownPathsWith404() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    ChatCompletionsClient client = clientFor(server);

    JsonNode models = json(client.get("/v1/models"));
    HttpResponse<String> unknown = client.get("/v1/embeddings");

    assertThat(models.path("object").asText()).isEqualTo("list");
    assertThat(models.at("/data/0/id").asText()).isEqualTo("fake-model");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).at("/error/message").asText()).contains("/v1/embeddings");
  }

  @Test
  void statsCountRequestsAndFaults() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    ChatCompletionsClient client = clientFor(server);
    server.enqueueFault(Fault.serverError());
    client.post(request("m", 0));
    client.post(request("m", 0));

    JsonNode stats = json(client.get("/stats"));

    assertThat(stats.path("chat_completions").asLong()).isEqualTo(2);
    assertThat(stats.path("faults_served").asLong()).isEqualTo(1);
    assertThat(stats.path("in_flight").asInt()).isZero();
    assertThat(stats.path("max_in_flight").asInt()).isEqualTo(1);
    assertThat(stats.path("requests").asLong()).isEqualTo(3);
  }

  @Test
  void rateLimitedFaultAnswers429WithRetryAfterSeconds() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.rateLimited(Duration.ofMillis(2_500)));
    ChatCompletionsClient client = clientFor(server);

    HttpResponse<String> limited = client.post(request("m", 0));
    HttpResponse<String> next = client.post(request("m", 0));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("3");
    assertThat(json(limited).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void queuedFaultsAreServedInOrderBeforeTheStandingFault() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    ChatCompletionsClient client = clientFor(server);
    server.faultEveryRequest(Fault.serverError());
    server.enqueueFault(Fault.rateLimited(Duration.ofSeconds(1)));
    server.enqueueFault(Fault.unknownTool("ghost"));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(client.post(request("m", 0)).statusCode());
    }
    server.clearFaults();
    statuses.add(client.post(request("m", 0)).statusCode());

    assertThat(statuses).containsExactly(429, 200, 500, 500, 200);
    assertThat(server.requestCount()).isEqualTo(5);
  }

  @Test
  void serverErrorFaultAnswers500WithAnOpenAiError() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.serverError());

    HttpResponse<String> response = clientFor(server).post(request("m", 0));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("server_error");
  }

  @Test
  void hangFaultDelaysTheNormalAnswer() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder().responder(Responders.text("late")));
    server.enqueueFault(Fault.hang(Duration.ofMillis(300)));

    long started = System.nanoTime();
    HttpResponse<String> response = clientFor(server).post(request("m", 0));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(json(response).at("/choices/0/message/content").asText()).isEqualTo("late");
  }

  @Test
  void latencyDelaysEveryAnswer() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder().latency(Duration.ofMillis(200)));

    long started = System.nanoTime();
    HttpResponse<String> response = clientFor(server).post(request("m", 0));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void malformedBodyFaultAnswers200WithInvalidJson() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.malformedBody());

    HttpResponse<String> response = clientFor(server).post(request("m", 0));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> json(response)).hasRootCauseInstanceOf(Exception.class);
  }

  @Test
  void malformedToolArgumentsFaultCallsTheFirstOfferedToolWithBrokenJson() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.malformedToolArguments());

    JsonNode body = json(clientFor(server).post(request("m", 0, "lookup", "other")));

    JsonNode call = body.at("/choices/0/message/tool_calls/0/function");
    assertThat(call.path("name").asText()).isEqualTo("lookup");
    String arguments = call.path("arguments").asText();
    assertThat(arguments).isEqualTo("{\"query\": \"abc");
    assertThatThrownBy(() -> ChatCompletionsClient.JSON.readTree(arguments))
        .isInstanceOf(Exception.class);
  }

  @Test
  void unknownToolFaultCallsATheNamedTool() {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.unknownTool("delete_everything"));

    JsonNode body = json(clientFor(server).post(request("m", 0, "lookup")));

    assertThat(body.at("/choices/0/message/tool_calls/0/function/name").asText())
        .isEqualTo("delete_everything");
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void answersRoundsOfConcurrentRequestsOverKeptAliveConnections() throws Exception {
    FakeOpenAiServer server =
        start(
            FakeOpenAiServer.builder()
                .latency(Duration.ofMillis(100))
                .responder(Responders.noopSteps(1000))
                .recordedRequests(10));
    ChatCompletionsClient client = clientFor(server);
    int concurrent = 250;

    for (int round = 0; round < 2; round++) {
      List<Future<JsonNode>> answers = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < concurrent; i++) {
          int earlier = i % 20;
          answers.add(pool.submit(() -> json(client.post(request("m", earlier, "noop")))));
        }
        for (int i = 0; i < concurrent; i++) {
          JsonNode answer = answers.get(i).get();
          assertThat(answer.at("/choices/0/message/tool_calls/0/function/arguments").asText())
              .isEqualTo("{\"n\":" + (i % 20) + "}");
        }
      }
    }

    assertThat(server.requestCount()).isEqualTo(2L * concurrent);
    assertThat(server.requests()).hasSize(10);
    assertThat(json(client.get("/stats")).path("max_in_flight").asInt()).isGreaterThan(1);
  }

  @Test
  void closeReturnsPromptlyWhileARequestHangs() throws Exception {
    FakeOpenAiServer server = start(FakeOpenAiServer.builder());
    server.faultEveryRequest(Fault.hang(Duration.ofMinutes(10)));
    ChatCompletionsClient client = clientFor(server);
    CompletableFuture<Integer> hanging =
        CompletableFuture.supplyAsync(() -> client.post(request("m", 0)).statusCode());
    while (server.requestCount() == 0) {
      Thread.sleep(10);
    }

    assertTimeoutPreemptively(Duration.ofSeconds(3), server::close);

    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertThat(hanging).failsWithin(Duration.ofSeconds(5)));
  }

  @Test
  void builderRejectsInvalidSettingsNamingTheField() {
    assertThatThrownBy(() -> FakeOpenAiServer.builder().latency(Duration.ofMillis(-1)).build())
        .hasMessage("latency must not be negative, but was PT-0.001S");
    assertThatThrownBy(() -> FakeOpenAiServer.builder().port(70_000).build())
        .hasMessage("port must be between 0 and 65535, but was 70000");
    assertThatThrownBy(() -> FakeOpenAiServer.builder().build().baseUrl())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call start() first");
  }

  @Test
  void faultArgumentsAreValidated() {
    assertThatThrownBy(() -> Fault.hang(Duration.ofSeconds(-1)))
        .hasMessage("hang delay must not be negative, but was PT-1S");
    assertThat(new Fault.RateLimited(Duration.ofSeconds(2)).retryAfterSeconds()).isEqualTo(2);
    assertThat(FakeReply.toolCall("t", JsonNodeFactory.instance.objectNode().put("k", "v")))
        .isEqualTo(FakeReply.rawToolCall("t", "{\"k\":\"v\"}"));
  }
}
