package dev.bridle.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/** One message of a conversation with a model. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "role")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ChatMessage.System.class, name = "system"),
  @JsonSubTypes.Type(value = ChatMessage.User.class, name = "user"),
  @JsonSubTypes.Type(value = ChatMessage.Assistant.class, name = "assistant"),
  @JsonSubTypes.Type(value = ChatMessage.ToolResult.class, name = "tool")
})
public sealed interface ChatMessage {

  /** Instructions from the workflow. */
  record System(String text) implements ChatMessage {
    public System {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The task, as the user gave it. */
  record User(String text) implements ChatMessage {
    public User {
      Objects.requireNonNull(text, "text");
    }
  }

  /** What the model answered: text, tool calls, or both. {@code text} is empty when absent. */
  record Assistant(String text, List<ToolCall> toolCalls) implements ChatMessage {
    public Assistant {
      text = text == null ? "" : text;
      toolCalls = List.copyOf(toolCalls);
    }

    public static Assistant text(String text) {
      return new Assistant(text, List.of());
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean hasToolCalls() {
      return !toolCalls.isEmpty();
    }
  }

  /** The observation for one tool call: its result, or an error the model can act on. */
  record ToolResult(String callId, String toolName, String content, boolean error)
      implements ChatMessage {
    public ToolResult {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(toolName, "toolName");
      Objects.requireNonNull(content, "content");
    }
  }
}
