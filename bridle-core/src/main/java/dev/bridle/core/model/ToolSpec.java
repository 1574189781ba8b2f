package dev.bridle.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a model is told about one tool: its name, description and the JSON Schema (draft 2020-12) of
 * its arguments object.
 */
public record ToolSpec(String name, String description, ObjectNode parameters) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
  }
}
