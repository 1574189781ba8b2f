package dev.bridle.core.model;

import java.util.Objects;

/**
 * A tool call as the model asked for it. {@code arguments} is the raw JSON text the model produced;
 * it may be malformed, and the loop validates it before anything runs.
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
  }
}
