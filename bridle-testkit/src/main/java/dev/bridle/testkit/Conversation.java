package dev.bridle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A read-only view of an OpenAI chat completion request body, for writing stateless {@link
 * Responder}s and for assertions on what a client sent.
 */
public record Conversation(JsonNode requestBody) {
  public Conversation {
    Objects.requireNonNull(requestBody, "requestBody");
  }

  public static Conversation of(JsonNode requestBody) {
    return new Conversation(requestBody);
  }

  /** The {@code messages} array, empty when absent. */
  public List<JsonNode> messages() {
    JsonNode messages = requestBody.path("messages");
    List<JsonNode> result = new ArrayList<>(messages.size());
    messages.forEach(result::add);
    return result;
  }

  /** How many messages have {@code role: assistant}. */
  public int assistantTurns() {
    return (int) messages().stream().filter(Conversation::isAssistant).count();
  }

  /** How many assistant messages carry at least one tool call. */
  public int toolCallTurns() {
    return (int)
        messages().stream()
            .filter(Conversation::isAssistant)
            .filter(message -> !message.path("tool_calls").isEmpty())
            .count();
  }

  /** The names of the offered tools, in the order of the {@code tools} array. */
  public List<String> offeredToolNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : requestBody.path("tools")) {
      String name = tool.path("function").path("name").asText("");
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /** The requested {@code model}, or {@code fake-model} when the request names none. */
  public String model() {
    String model = requestBody.path("model").asText("");
    return model.isEmpty() ? "fake-model" : model;
  }

  private static boolean isAssistant(JsonNode message) {
    return "assistant".equals(message.path("role").asText());
  }
}
