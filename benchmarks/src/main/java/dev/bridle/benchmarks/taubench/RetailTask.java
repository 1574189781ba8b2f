package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One τ-bench retail task joined with its oracle.
 *
 * @param split {@code dev} or {@code train}
 * @param index the task's index in its split
 * @param userId the customer the task is about
 * @param instruction what the simulated customer was told (not used by the scripted model)
 * @param actions the ground-truth tool calls, in order
 * @param outputs the exact output upstream's tools gave for each action ({@code Error: ...} for a
 *     refused one)
 * @param expectedChanges {@code table → id → record}: every record the actions change, as it is
 *     afterwards; empty when they change nothing
 */
record RetailTask(
    String split,
    int index,
    String userId,
    String instruction,
    List<Action> actions,
    List<String> outputs,
    ObjectNode expectedChanges) {

  /** The prefix of an output for a call upstream's tools refused. */
  static final String ERROR_PREFIX = "Error: ";

  RetailTask {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(userId, "userId");
    actions = List.copyOf(actions);
    outputs = List.copyOf(outputs);
    if (outputs.size() != actions.size()) {
      throw new IllegalArgumentException(
          "task " + split + "/" + index + ": one output per action is needed");
    }
    Objects.requireNonNull(expectedChanges, "expectedChanges");
  }

  /** A ground-truth tool call. */
  record Action(String name, ObjectNode arguments) {
    Action {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /** {@code dev/3}: how reports name the task. */
  String id() {
    return split + "/" + index;
  }

  /** The orders the actions act on, in order of first appearance. */
  Set<String> orderIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (Action action : actions) {
      if (action.arguments().hasNonNull("order_id")) {
        ids.add(action.arguments().get("order_id").asText());
      }
    }
    return ids;
  }

  /** Whether upstream's tools refused action {@code i}. */
  boolean refused(int i) {
    return outputs.get(i).startsWith(ERROR_PREFIX);
  }
}
