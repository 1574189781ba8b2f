package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a call changed, reported by the tool and journaled on {@code ToolCallCompleted}: the record,
 * its state before and after, and the call that undoes it (DESIGN §3.6: rollback is data, not a
 * lambda, so it works after a restart and on any node).
 *
 * @param resource the record changed, e.g. {@code crm:lead/L-17}
 * @param before the changed fields before the call (null when unknown)
 * @param after the changed fields after the call (null when unknown)
 * @param inverse the call that restores {@code before}, or null when the change cannot be undone;
 *     it must be idempotent (set a value, not toggle one), because a revert interrupted by a crash
 *     runs it again
 */
public record Change(String resource, JsonNode before, JsonNode after, InverseCall inverse) {

  public Change {
    Objects.requireNonNull(resource, "resource");
    before = before == null || before.isNull() ? null : before;
    after = after == null || after.isNull() ? null : after;
  }

  /** A tool call that undoes a change: a tool of the same agent and its arguments. */
  public record InverseCall(String toolName, JsonNode arguments) {
    public InverseCall {
      Objects.requireNonNull(toolName, "toolName");
      Objects.requireNonNull(arguments, "arguments");
    }
  }
}
