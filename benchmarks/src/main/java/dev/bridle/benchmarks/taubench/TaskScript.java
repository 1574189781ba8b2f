package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.model.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the scripted model does for one task, one call per turn: first the lookups the policy wiki
 * asks for before any change (the customer's profile, then each order the task acts on — the retail
 * dev and train ground truth lists only the changes), then the task's ground-truth actions in
 * order, then a final answer. A refused or rejected call is simply followed by the next one.
 *
 * @param calls every call in order
 */
record TaskScript(RetailTask task, List<PlannedCall> calls) {

  static final String ANSWER = "Done: everything you asked for has been handled.";

  TaskScript {
    Objects.requireNonNull(task, "task");
    calls = List.copyOf(calls);
  }

  /**
   * One scripted call.
   *
   * @param action the index of the ground-truth action it plays, or -1 for a lookup
   */
  record PlannedCall(String tool, ObjectNode arguments, int action) {
    boolean lookup() {
      return action < 0;
    }
  }

  static TaskScript of(RetailTask task) {
    List<PlannedCall> calls = new ArrayList<>();
    calls.add(new PlannedCall("get_user_details", argument("user_id", task.userId()), -1));
    for (String orderId : task.orderIds()) {
      calls.add(new PlannedCall("get_order_details", argument("order_id", orderId), -1));
    }
    for (int i = 0; i < task.actions().size(); i++) {
      RetailTask.Action action = task.actions().get(i);
      calls.add(new PlannedCall(action.name(), action.arguments(), i));
    }
    return new TaskScript(task, calls);
  }

  /** The model: one turn per call, then the answer. */
  ScriptedChatModel model() {
    ScriptedChatModel.Builder script =
        ScriptedChatModel.builder().name("taubench-retail-" + task.split() + "-" + task.index());
    for (PlannedCall call : calls) {
      script.thenCall(call.tool(), call.arguments());
    }
    return script.thenAnswer(ANSWER).build();
  }

  /** Model turns the script needs: one per call and the answer. */
  int turns() {
    return calls.size() + 1;
  }

  private static ObjectNode argument(String name, String value) {
    return JsonNodeFactory.instance.objectNode().put(name, value);
  }
}
