package dev.bridle.core.workflow;

import dev.bridle.core.workflow.WorkflowDefinition.Position;
import java.util.HashMap;
import java.util.Map;

/**
 * A workflow file being converted: its name and where each key sits, so that checks that span
 * several keys still report {@code file:line:column}.
 */
record SourceFile(String name, YamlLocations locations) {

  /** Where {@code path} ({@code policy.rules[2].tools}) was written; line 0 when unknown. */
  Position position(String path) {
    return locations
        .find(path)
        .map(at -> new Position(name, at.getLineNr(), at.getColumnNr()))
        .orElse(new Position(name, 0, 0));
  }

  /** Where each key at or below {@code prefix} was written. */
  Map<String, Position> positionsUnder(String prefix) {
    Map<String, Position> positions = new HashMap<>();
    locations
        .under(prefix)
        .forEach(
            (path, at) ->
                positions.put(path, new Position(name, at.getLineNr(), at.getColumnNr())));
    return positions;
  }

  /** A problem with the key at {@code path}, phrased like the binding errors. */
  WorkflowException problem(String path, String message) {
    return at(
        position(path), message + (path.isEmpty() ? " at the top level" : " in '" + path + "'"));
  }

  /**
   * The percentage at {@code section.key}, written as text ({@code 10%}); a bare number is refused
   * with a hint. A problem points at the key's line and names the key and its section.
   */
  Percentage percentage(String section, String key, com.fasterxml.jackson.databind.JsonNode value) {
    Position at = position(section + "." + key);
    String where = " in '" + section + "'";
    if (value == null || value.isNull()) {
      throw at(at, key + " needs a percentage such as 10%, but is empty" + where);
    }
    if (!value.isTextual()) {
      throw at(
          at,
          key
              + " must be a percentage with a % sign such as 10% or 12.5%, but was "
              + value
              + where);
    }
    try {
      return Percentage.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw at(at, key + " " + e.getMessage() + where);
    }
  }

  static WorkflowException at(Position position, String message) {
    return new WorkflowException(
        position.file(), position.line(), position.column(), message, null);
  }
}
