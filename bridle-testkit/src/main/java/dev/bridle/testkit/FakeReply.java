package dev.bridle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** What the fake model answers to one chat completion request: text, or tool calls. */
public sealed interface FakeReply {

  /** A final text answer ({@code finish_reason: stop}). */
  record Text(String content) implements FakeReply {
    public Text {
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * One or more tool calls, in order ({@code finish_reason: tool_calls}, {@code content: null}).
   */
  record ToolCalls(List<FakeToolCall> calls) implements FakeReply {
    public ToolCalls {
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("a tool-calls reply needs at least one call");
      }
    }
  }

  static FakeReply text(String content) {
    return new Text(content);
  }

  /** A single tool call whose arguments are {@code arguments} serialized as JSON. */
  static FakeReply toolCall(String name, JsonNode arguments) {
    return new ToolCalls(List.of(new FakeToolCall(name, arguments.toString())));
  }

  /** A single tool call whose arguments string is sent exactly as given, valid JSON or not. */
  static FakeReply rawToolCall(String name, String rawArguments) {
    return new ToolCalls(List.of(new FakeToolCall(name, rawArguments)));
  }

  /** Several tool calls in one answer, kept in the given order. */
  static FakeReply toolCalls(List<FakeToolCall> calls) {
    return new ToolCalls(calls);
  }
}
