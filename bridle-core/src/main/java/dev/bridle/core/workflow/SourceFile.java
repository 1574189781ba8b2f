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

  static WorkflowException at(Position position, String message) {
    return new WorkflowException(
        position.file(), position.line(), position.column(), message, null);
  }
}
