package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import dev.bridle.core.model.Usage;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.FakeReply;
import dev.bridle.testkit.FakeToolCall;
import dev.bridle.testkit.Fault;
import dev.bridle.testkit.Responders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real LangChain4j OpenAI adapter against the fake OpenAI server, over real HTTP. */
class OpenAiAdapterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> NO_ENVIRONMENT = Map.of();

  private FakeOpenAiServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  private ChatModel modelFor(FakeOpenAiServer.Builder builder) {
    server = builder.build().start();
    return ChatModels.create(
        ModelSpec.of("openai", "gpt-test").withBaseUrl(server.baseUrl()), NO_ENVIRONMENT);
  }

  private static ModelRequest ask(String question, ToolSpec... tools) {
    return new ModelRequest(
        List.of(new ChatMessage.System("Be brief."), new ChatMessage.User(question)),
        List.of(tools));
  }

  private static ToolSpec searchTool() {
    ObjectNode parameters = JSON.createObjectNode().put("type", "object");
    ObjectNode properties = parameters.putObject("properties");
    properties
        .putObject("query")
        .put("type", "string")
        .put("description", "What to look for")
        .put("minLength", 1);
    ObjectNode scope = properties.putObject("scope").put("type", "string");
    scope.putArray("enum").add("orders").add("customers");
    properties.putObject("limit").put("type", "integer").put("maximum", 50);
    parameters.putArray("required").add("query").add("scope");
    parameters.put("additionalProperties", false);
    return new ToolSpec("search", "Searches the records", parameters);
  }

  @Test
  void answersTextWithUsageAndTheServingModel() {
    ChatModel model = modelFor(FakeOpenAiServer.builder().responder(Responders.text("Hi there")));

    ModelResponse response = model.chat(ask("Say hi"));

    assertThat(model.id()).isEqualTo("openai:gpt-test");
    assertThat(response.message()).isEqualTo(ChatMessage.Assistant.text("Hi there"));
    assertThat(response.modelId()).isEqualTo("openai:gpt-test");
    // "Be brief." + "Say hi" = 15 characters -> 4 prompt tokens; "Hi there" -> 2.
    assertThat(response.usage()).isEqualTo(new Usage(4, 2, 0));
    JsonNode sent = server.lastRequest().orElseThrow();
    assertThat(sent.path("model").asText()).isEqualTo("gpt-test");
    assertThat(sent.has("tools")).isFalse();
    assertThat(sent.path("stream").asBoolean(false)).isFalse();
  }

  @Test
  void sendsAToolCallRoundTripInTheOpenAiWireFormat() {
    ChatModel model = modelFor(FakeOpenAiServer.builder().responder(Responders.text("Found 2")));
    List<ChatMessage> conversation =
        List.of(
            new ChatMessage.System("Use the tools."),
            new ChatMessage.User("Find order 42"),
            new ChatMessage.Assistant(
                "",
                List.of(
                    new ToolCall("call_1", "search", "{\"query\":\"42\",\"scope\":\"orders\"}"))),
            new ChatMessage.ToolResult("call_1", "search", "[{\"id\":42},{\"id\":420}]", false));

    ModelResponse response = model.chat(new ModelRequest(conversation, List.of(searchTool())));

    assertThat(response.message().text()).isEqualTo("Found 2");
    JsonNode sent = server.lastRequest().orElseThrow();
    JsonNode messages = sent.path("messages");
    assertThat(messages.findValuesAsText("role"))
        .containsExactly("system", "user", "assistant", "tool");
    JsonNode call = messages.get(2).path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isEqualTo("call_1");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("search");
    assertThat(call.path("function").path("arguments").asText())
        .isEqualTo("{\"query\":\"42\",\"scope\":\"orders\"}");
    assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("[{\"id\":42},{\"id\":420}]");

    JsonNode function = sent.path("tools").get(0).path("function");
    assertThat(sent.path("tools").get(0).path("type").asText()).isEqualTo("function");
    assertThat(function.path("name").asText()).isEqualTo("search");
    assertThat(function.path("description").asText()).isEqualTo("Searches the records");
    JsonNode parameters = function.path("parameters");
    assertThat(parameters.path("type").asText()).isEqualTo("object");
    assertThat(parameters.path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("query", "scope");
    JsonNode properties = parameters.path("properties");
    assertThat(properties.path("query").path("type").asText()).isEqualTo("string");
    assertThat(properties.path("query").path("description").asText())
        .isEqualTo("What to look for (at least 1 characters)");
    assertThat(properties.path("scope").path("enum").get(0).asText()).isEqualTo("orders");
    assertThat(properties.path("scope").path("enum").get(1).asText()).isEqualTo("customers");
    assertThat(properties.path("limit").path("type").asText()).isEqualTo("integer");
    assertThat(properties.path("limit").path("description").asText()).isEqualTo("maximum 50");
  }

  @Test
  void keepsTheOrderOfSeveralToolCallsInOneAnswer() {
    ChatModel model =
        modelFor(
            FakeOpenAiServer.builder()
                .responder(
                    Responders.script(
                        List.of(
                            FakeReply.toolCalls(
                                List.of(
                                    new FakeToolCall("search", "{\"query\":\"a\"}"),
                                    new FakeToolCall("fetch", "{\"id\":1}"),
                                    new FakeToolCall("search", "{\"query\":\"b\"}")))))));

    ModelResponse response = model.chat(ask("Go", searchTool()));

    List<ToolCall> calls = response.message().toolCalls();
    assertThat(calls).extracting(ToolCall::name).containsExactly("search", "fetch", "search");
    assertThat(calls)
        .extracting(ToolCall::arguments)
        .containsExactly("{\"query\":\"a\"}", "{\"id\":1}", "{\"query\":\"b\"}");
    assertThat(calls)
        .extracting(ToolCall::id)
        .doesNotHaveDuplicates()
        .allMatch(id -> !id.isBlank());
    assertThat(response.message().text()).isEmpty();
  }

  @Test
  void passesMalformedToolArgumentsThroughAsTheRawString() {
    ChatModel model = modelFor(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.malformedToolArguments());

    ModelResponse response = model.chat(ask("Go", searchTool()));

    ToolCall call = response.message().toolCalls().getFirst();
    assertThat(call.name()).isEqualTo("search");
    assertThat(call.arguments()).isEqualTo("{\"query\": \"abc");
  }

  @Test
  void passesACallToAnUnknownToolThrough() {
    ChatModel model = modelFor(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.unknownTool("delete_everything"));

    ModelResponse response = model.chat(ask("Go", searchTool()));

    assertThat(response.message().toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("delete_everything");
  }

  @Test
  void rateLimitBecomesRateLimitedWithRetryAfter() {
    ChatModel model = modelFor(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.rateLimited(Duration.ofSeconds(2)));

    ModelException failure =
        catchThrowableOfType(ModelException.class, () -> model.chat(ask("Hi")));

    assertThat(failure.kind()).isEqualTo(ModelException.Kind.RATE_LIMITED);
    assertThat(failure.retriable()).isTrue();
    assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(failure.getMessage())
        .startsWith("openai:gpt-test was rate limited by the provider, retry after PT2S (HTTP 429)")
        .contains("Rate limit reached");
    assertThat(server.requestCount()).as("LangChain4j must not retry by itself").isEqualTo(1);
  }

  @Test
  void serverErrorBecomesProviderError() {
    ChatModel model = modelFor(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.serverError());

    ModelException failure =
        catchThrowableOfType(ModelException.class, () -> model.chat(ask("Hi")));

    assertThat(failure.kind()).isEqualTo(ModelException.Kind.PROVIDER_ERROR);
    assertThat(failure.getMessage()).contains("HTTP 500").contains("server had an error");
    assertThat(failure.retryAfter()).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void hangingBeyondTheSpecTimeoutBecomesTimeout() {
    server = FakeOpenAiServer.builder().build().start();
    server.faultEveryRequest(Fault.hang(Duration.ofSeconds(30)));
    ChatModel model =
        ChatModels.create(
            ModelSpec.of("openai", "gpt-test")
                .withBaseUrl(server.baseUrl())
                .withTimeout(Duration.ofSeconds(1)),
            NO_ENVIRONMENT);

    ModelException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(8),
            () -> catchThrowableOfType(ModelException.class, () -> model.chat(ask("Hi"))));

    assertThat(failure.kind()).isEqualTo(ModelException.Kind.TIMEOUT);
    assertThat(failure.getMessage()).isEqualTo("openai:gpt-test gave no answer within PT1S");
  }

  @Test
  void malformedBodyBecomesMalformedResponse() {
    ChatModel model = modelFor(FakeOpenAiServer.builder());
    server.enqueueFault(Fault.malformedBody());

    ModelException failure =
        catchThrowableOfType(ModelException.class, () -> model.chat(ask("Hi")));

    assertThat(failure.kind()).isEqualTo(ModelException.Kind.MALFORMED_RESPONSE);
    assertThat(failure.getMessage())
        .startsWith("openai:gpt-test answered with a body that is not valid JSON");
  }

  @Test
  void unreachableServerBecomesProviderError() {
    server = FakeOpenAiServer.builder().build().start();
    String baseUrl = server.baseUrl();
    server.close();
    ChatModel model =
        ChatModels.create(ModelSpec.of("openai", "gpt-test").withBaseUrl(baseUrl), NO_ENVIRONMENT);

    ModelException failure =
        catchThrowableOfType(ModelException.class, () -> model.chat(ask("Hi")));

    assertThat(failure.kind()).isEqualTo(ModelException.Kind.PROVIDER_ERROR);
    assertThat(failure.getMessage()).startsWith("openai:gpt-test could not be reached");
  }

  @Test
  void sendsTemperatureAndMaxTokensFromTheSpecAndTheKeyFromTheEnvironment() {
    server = FakeOpenAiServer.builder().build().start();
    ModelSpec spec =
        new ModelSpec(
            "openai",
            "gpt-test",
            Optional.of(server.baseUrl()),
            Optional.of("BRIDLE_TEST_OPENAI_KEY"),
            Duration.ofSeconds(5),
            Optional.of(0.2),
            Optional.of(128));
    ChatModel model = ChatModels.create(spec, Map.of("BRIDLE_TEST_OPENAI_KEY", "sk-test-123"));

    model.chat(ask("Hi"));

    JsonNode sent = server.lastRequest().orElseThrow();
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(128);
  }
}
