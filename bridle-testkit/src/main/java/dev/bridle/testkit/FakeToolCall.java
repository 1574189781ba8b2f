package dev.bridle.testkit;

import java.util.Objects;

/**
 * One tool call the fake model makes. {@code arguments} is sent verbatim as the OpenAI {@code
 * function.arguments} string, so it may be deliberately malformed.
 */
public record FakeToolCall(String name, String arguments) {
  public FakeToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isBlank()) {
      throw new IllegalArgumentException("tool call name must not be blank");
    }
  }
}
