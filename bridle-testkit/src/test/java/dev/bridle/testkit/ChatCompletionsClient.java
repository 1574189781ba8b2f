package dev.bridle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client speaking just enough OpenAI to test the fake server. */
final class ChatCompletionsClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String baseUrl;

  ChatCompletionsClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> post(String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> post(JsonNode body, String... headers) {
    return post(body.toString(), headers);
  }

  HttpResponse<String> get(String absolutePath) {
    URI root = URI.create(baseUrl).resolve(absolutePath);
    return send(HttpRequest.newBuilder(root).timeout(Duration.ofSeconds(20)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request body: model, a user message, optional tools, and earlier assistant tool calls. */
  static ObjectNode request(String model, int earlierToolCallTurns, String... toolNames) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a test.");
    messages.addObject().put("role", "user").put("content", "Do the task.");
    for (int turn = 0; turn < earlierToolCallTurns; turn++) {
      ObjectNode assistant = messages.addObject().put("role", "assistant");
      assistant.putNull("content");
      ObjectNode call = assistant.putArray("tool_calls").addObject();
      call.put("id", "call_" + turn).put("type", "function");
      call.putObject("function").put("name", "noop").put("arguments", "{\"n\":" + turn + "}");
      messages
          .addObject()
          .put("role", "tool")
          .put("tool_call_id", "call_" + turn)
          .put("content", "ok");
    }
    if (toolNames.length > 0) {
      ArrayNode tools = body.putArray("tools");
      for (String name : toolNames) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", name).put("description", "Tool " + name);
        function.putObject("parameters").put("type", "object");
      }
    }
    return body;
  }
}
