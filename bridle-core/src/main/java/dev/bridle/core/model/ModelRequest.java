package dev.bridle.core.model;

import java.util.List;

/** One call to a model: the whole conversation so far and the tools on offer. */
public record ModelRequest(List<ChatMessage> messages, List<ToolSpec> tools) {
  public ModelRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }
}
