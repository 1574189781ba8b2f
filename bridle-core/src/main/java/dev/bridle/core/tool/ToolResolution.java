package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of one tool call the model asked for, before anything ran: a tool with valid, typed
 * arguments, or a rejection whose {@code observation} tells the model precisely what was wrong.
 */
public sealed interface ToolResolution {

  /** The canonical JSON text of the arguments (sorted keys), or the raw text if it is not JSON. */
  String canonicalArguments();

  /** What the model is told when the call cannot run; empty for a resolved call. */
  default java.util.Optional<String> rejection() {
    return switch (this) {
      case Resolved r -> java.util.Optional.empty();
      case UnknownTool u -> java.util.Optional.of(u.observation());
      case InvalidArguments i -> java.util.Optional.of(i.observation());
    };
  }

  /** A known tool and arguments that passed the schema and were bound to the argument type. */
  record Resolved(
      Tool<?> tool, JsonNode arguments, Object typedArguments, String canonicalArguments)
      implements ToolResolution {}

  /** The model named a tool that is not offered. */
  record UnknownTool(String name, String canonicalArguments, String observation)
      implements ToolResolution {}

  /** The arguments are not JSON, break the schema, or do not bind to the argument type. */
  record InvalidArguments(Tool<?> tool, String canonicalArguments, String observation)
      implements ToolResolution {}
}
