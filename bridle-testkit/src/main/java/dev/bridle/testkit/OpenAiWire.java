package dev.bridle.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Renders OpenAI chat completion wire format; token counts are characters divided by four. */
final class OpenAiWire {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A body that starts like a completion and stops in the middle: not valid JSON. */
  static final byte[] MALFORMED_BODY =
      "{\"id\": \"chatcmpl-broken\", \"object\": \"chat.completion\", \"choices\": [{\"message\": {"
          .getBytes(StandardCharsets.UTF_8);

  /** A tool call arguments string cut off in the middle of a value. */
  static final String MALFORMED_ARGUMENTS = "{\"query\": \"abc";

  private OpenAiWire() {}

  static JsonNode parse(byte[] body) throws IOException {
    return JSON.readTree(body);
  }

  static byte[] completion(
      long requestNumber, long createdEpochSecond, Conversation conversation, FakeReply reply) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-fake-" + requestNumber);
    body.put("object", "chat.completion");
    body.put("created", createdEpochSecond);
    body.put("model", conversation.model());
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    long completionCharacters =
        switch (reply) {
          case FakeReply.Text text -> {
            message.put("content", text.content());
            choice.put("finish_reason", "stop");
            yield text.content().length();
          }
          case FakeReply.ToolCalls toolCalls -> {
            message.putNull("content");
            choice.put("finish_reason", "tool_calls");
            yield writeToolCalls(message.putArray("tool_calls"), requestNumber, toolCalls.calls());
          }
        };
    long promptTokens = tokens(promptCharacters(conversation));
    long completionTokens = tokens(completionCharacters);
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    return bytes(body);
  }

  static byte[] error(String message, String type, String param, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    putNullable(error, "param", param);
    putNullable(error, "code", code);
    return bytes(body);
  }

  static byte[] models(long createdEpochSecond) {
    ObjectNode body = JSON.createObjectNode();
    body.put("object", "list");
    ObjectNode model = body.putArray("data").addObject();
    model.put("id", "fake-model");
    model.put("object", "model");
    model.put("created", createdEpochSecond);
    model.put("owned_by", "bridle-testkit");
    return bytes(body);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static long writeToolCalls(
      ArrayNode target, long requestNumber, List<FakeToolCall> calls) {
    long characters = 0;
    for (int index = 0; index < calls.size(); index++) {
      FakeToolCall call = calls.get(index);
      ObjectNode toolCall = target.addObject();
      toolCall.put("id", "call_" + requestNumber + "_" + index);
      toolCall.put("type", "function");
      ObjectNode function = toolCall.putObject("function");
      function.put("name", call.name());
      function.put("arguments", call.arguments());
      characters += call.name().length() + call.arguments().length();
    }
    return characters;
  }

  private static long promptCharacters(Conversation conversation) {
    long characters = 0;
    for (JsonNode message : conversation.messages()) {
      characters += message.path("content").asText("").length();
      for (JsonNode toolCall : message.path("tool_calls")) {
        JsonNode function = toolCall.path("function");
        characters += function.path("name").asText("").length();
        characters += function.path("arguments").asText("").length();
      }
    }
    return characters;
  }

  private static long tokens(long characters) {
    return Math.max(1, (characters + 3) / 4);
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
