package dev.bridle.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;

/**
 * Message content as the GenAI conventions' JSON ({@code gen_ai.input.messages}, {@code
 * gen_ai.output.messages}, {@code gen_ai.system_instructions}), every text redacted and cut by
 * {@link ContentCapture} before it is put in the structure.
 */
final class Content {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ContentCapture capture;

  Content(ContentCapture capture) {
    this.capture = capture;
  }

  /** The task as one user message. */
  String userMessage(String task) {
    ArrayNode messages = JSON.createArrayNode();
    ObjectNode message = messages.addObject().put("role", "user");
    textPart(message.putArray("parts"), task);
    return messages.toString();
  }

  /** The workflow's instructions as one text part. */
  String instructions(String text) {
    ArrayNode parts = JSON.createArrayNode();
    textPart(parts, text);
    return parts.toString();
  }

  /** A model's answer: its text and the tool calls it asked for. */
  String assistantMessage(ChatMessage.Assistant assistant, String finishReason) {
    ArrayNode messages = JSON.createArrayNode();
    ObjectNode message = messages.addObject().put("role", "assistant");
    ArrayNode parts = message.putArray("parts");
    if (!assistant.text().isEmpty()) {
      textPart(parts, assistant.text());
    }
    for (ToolCall call : assistant.toolCalls()) {
      parts
          .addObject()
          .put("type", "tool_call")
          .put("id", call.id())
          .put("name", call.name())
          .put("arguments", capture.redact(call.arguments()));
    }
    message.put("finish_reason", finishReason);
    return messages.toString();
  }

  /** The run's final answer. */
  String answer(String text) {
    return assistantMessage(ChatMessage.Assistant.text(text), "stop");
  }

  /** A tool's arguments or result. */
  String text(String text) {
    return capture.redact(text);
  }

  private void textPart(ArrayNode parts, String text) {
    parts.addObject().put("type", "text").put("content", capture.redact(text));
  }
}
