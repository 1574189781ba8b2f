package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.RunOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run of a task did, read from its journal and its store, and how it scores. The
 * properties, each true or false per run:
 *
 * <ul>
 *   <li>{@link #oneApprovalPerWrite()}: every call that changes the store and whose precondition
 *       held (the store would accept it) asked a human exactly once; a write its precondition
 *       refused, and every read, never;
 *   <li>{@link #recordsMatch()}: approve-all — the records that changed are exactly the oracle's
 *       {@code expected_changed_records} (JSON trees, numbers by value), nothing else changed;
 *       deny-all — nothing changed;
 *   <li>{@link #outputsMatch()}: approve-all — every ground-truth call answered what upstream's
 *       tool answered (the same JSON; where upstream said {@code Error: <text>}, the precondition
 *       refused the call with that text, or the call failed with it); deny-all — no change ran.
 * </ul>
 *
 * {@link #problems()} says, per run, what did not hold.
 *
 * @param calls the run's tool calls in the order the model made them
 * @param changes the records the run changed ({@code table → id → record})
 */
record TaskResult(
    RetailTask task,
    SimulatedHuman human,
    RunOutcome outcome,
    List<Call> calls,
    ObjectNode changes,
    boolean oneApprovalPerWrite,
    boolean recordsMatch,
    boolean outputsMatch,
    List<String> problems) {

  private static final ObjectMapper JSON = new ObjectMapper();

  TaskResult {
    calls = List.copyOf(calls);
    problems = List.copyOf(problems);
  }

  /**
   * One tool call as the journal holds it.
   *
   * @param verdict what policy decided; null when it never decided (an unknown tool)
   * @param approvals how many times the call waited for a human
   * @param decision the human's last decision; null when nobody was asked
   * @param refused whether the tool's precondition refused the call (nobody was asked, it did not
   *     run)
   * @param executed whether the tool's handler was started
   * @param status how an executed call ended; null when it did not run
   * @param observation what the model was told
   */
  record Call(
      String callId,
      String tool,
      boolean write,
      Verdict verdict,
      int approvals,
      RunEvent.Decision decision,
      boolean refused,
      boolean executed,
      RunEvent.CallStatus status,
      String observation) {}

  boolean ok() {
    return problems.isEmpty();
  }

  boolean completed() {
    return outcome instanceof RunOutcome.Completed;
  }

  long writes() {
    return calls.stream().filter(Call::write).count();
  }

  long reads() {
    return calls.stream().filter(c -> !c.write()).count();
  }

  long approvals() {
    return calls.stream().mapToLong(Call::approvals).sum();
  }

  /** Writes refused by their precondition: nobody was asked to approve them. */
  long refusedWrites() {
    return calls.stream().filter(c -> c.write() && c.refused()).count();
  }

  /** Scores a finished run. */
  static TaskResult of(
      TaskScript script,
      SimulatedHuman human,
      Set<String> writeTools,
      RunOutcome outcome,
      List<JournalEntry> journal,
      ObjectNode changes) {
    RetailTask task = script.task();
    List<Call> calls = calls(journal, writeTools);
    List<String> problems = new ArrayList<>();
    if (!(outcome instanceof RunOutcome.Completed)) {
      problems.add("the run did not complete: " + outcome.message());
    }
    List<String> planned = script.calls().stream().map(TaskScript.PlannedCall::tool).toList();
    List<String> made = calls.stream().map(Call::tool).toList();
    if (!planned.equals(made)) {
      problems.add("the run made the calls " + made + ", the script " + planned);
    }

    boolean oneApprovalPerWrite = true;
    for (Call call : calls) {
      int wanted = call.write() && !call.refused() ? 1 : 0;
      if (call.approvals() != wanted) {
        oneApprovalPerWrite = false;
        problems.add(
            call.tool()
                + " ("
                + call.callId()
                + ") asked "
                + call.approvals()
                + " approvals, not "
                + wanted);
      }
      if (!call.write() && !(call.verdict() == Verdict.ALLOW && call.executed())) {
        problems.add(call.tool() + " (" + call.callId() + ") was not allowed and run");
      }
    }

    boolean recordsMatch;
    boolean outputsMatch = true;
    switch (human) {
      case APPROVES_ALL -> {
        recordsMatch = JsonEquality.equal(changes, task.expectedChanges());
        if (!recordsMatch) {
          problems.add(
              "changed records differ from the oracle: "
                  + differences(changes, task.expectedChanges()));
        }
        if (planned.equals(made)) {
          for (int i = 0; i < calls.size(); i++) {
            int action = script.calls().get(i).action();
            if (action >= 0) {
              String problem = outputProblem(task, action, calls.get(i));
              if (problem != null) {
                outputsMatch = false;
                problems.add(problem);
              }
            }
          }
        } else {
          outputsMatch = false;
        }
      }
      case DENIES_ALL -> {
        recordsMatch = changes.isEmpty();
        if (!recordsMatch) {
          problems.add("the store changed although every change was rejected: " + summary(changes));
        }
        for (Call call : calls) {
          if (call.write() && call.executed()) {
            outputsMatch = false;
            problems.add(call.tool() + " (" + call.callId() + ") ran although it was rejected");
          }
        }
      }
      default -> throw new IllegalStateException("unknown human " + human);
    }
    return new TaskResult(
        task,
        human,
        outcome,
        calls,
        changes,
        oneApprovalPerWrite,
        recordsMatch,
        outputsMatch,
        problems);
  }

  /** Null when call {@code i} answered what upstream's tool answered for action {@code action}. */
  private static String outputProblem(RetailTask task, int action, Call call) {
    String expected = task.outputs().get(action);
    String where = "action " + action + " (" + call.tool() + ")";
    if (task.refused(action)) {
      String reason = expected.substring(RetailTask.ERROR_PREFIX.length());
      if (call.refused() && call.observation().equals(expected)) {
        return null;
      }
      if (call.status() == RunEvent.CallStatus.FAILED && call.observation().endsWith(reason)) {
        return null;
      }
      return where
          + " should have been refused with '"
          + reason
          + "', but answered: "
          + cut(call.observation());
    }
    if (call.refused()) {
      return where + " was refused by its precondition: " + cut(call.observation());
    }
    if (!call.executed()) {
      return where + " did not run";
    }
    if (call.status() != RunEvent.CallStatus.SUCCEEDED) {
      return where + " failed: " + cut(call.observation());
    }
    try {
      JsonNode want = JSON.readTree(expected);
      JsonNode got = JSON.readTree(call.observation());
      return JsonEquality.equal(want, got)
          ? null
          : where + " answered " + cut(call.observation()) + ", upstream " + cut(expected);
    } catch (JsonProcessingException e) {
      return where + " answered " + cut(call.observation()) + ", upstream " + cut(expected);
    }
  }

  /** The run's tool calls, from its journal. */
  static List<Call> calls(List<JournalEntry> journal, Set<String> writeTools) {
    Map<String, CallBuilder> byId = new LinkedHashMap<>();
    for (JournalEntry entry : journal) {
      switch (entry.event()) {
        case RunEvent.ToolCallProposed e ->
            byId.put(e.callId(), new CallBuilder(e.callId(), e.toolName()));
        case RunEvent.PolicyDecided e -> byId.get(e.callId()).verdict = e.verdict();
        case RunEvent.ApprovalRequested e -> byId.get(e.callId()).approvals++;
        case RunEvent.ApprovalDecided e -> byId.get(e.callId()).decision = e.decision();
        case RunEvent.ToolCallStarted e -> byId.get(e.callId()).executed = true;
        case RunEvent.ToolCallCompleted e -> {
          CallBuilder call = byId.get(e.callId());
          call.status = e.status();
          call.observation = e.observation();
        }
        case RunEvent.ToolCallRejected e -> {
          CallBuilder call = byId.get(e.callId());
          call.observation = e.observation();
          call.refused = e.reason() == RunEvent.Rejection.PRECONDITION_FAILED;
        }
        default -> {}
      }
    }
    return byId.values().stream().map(b -> b.build(writeTools)).toList();
  }

  private static final class CallBuilder {
    final String callId;
    final String tool;
    Verdict verdict;
    int approvals;
    RunEvent.Decision decision;
    boolean refused;
    boolean executed;
    RunEvent.CallStatus status;
    String observation = "";

    CallBuilder(String callId, String tool) {
      this.callId = callId;
      this.tool = tool;
    }

    Call build(Set<String> writeTools) {
      return new Call(
          callId,
          tool,
          writeTools.contains(tool),
          verdict,
          approvals,
          decision,
          refused,
          executed,
          status,
          observation);
    }
  }

  /** {@code orders [#W1, #W2], users [u]}: which records, not their content. */
  private static String summary(ObjectNode changes) {
    if (changes.isEmpty()) {
      return "nothing";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> table : changes.properties()) {
      List<String> ids = new ArrayList<>();
      table.getValue().fieldNames().forEachRemaining(ids::add);
      parts.add(table.getKey() + " " + ids);
    }
    return String.join(", ", parts);
  }

  /** Per record: changed but not expected, expected but unchanged, or different content. */
  private static String differences(ObjectNode got, ObjectNode expected) {
    List<String> differences = new ArrayList<>();
    for (RetailDatabase.Table table : RetailDatabase.Table.values()) {
      JsonNode gotRows = got.path(table.jsonName());
      JsonNode wantRows = expected.path(table.jsonName());
      Set<String> ids = new LinkedHashSet<>();
      gotRows.fieldNames().forEachRemaining(ids::add);
      wantRows.fieldNames().forEachRemaining(ids::add);
      for (String id : ids) {
        String record = table.jsonName() + "/" + id;
        if (!wantRows.has(id)) {
          differences.add(record + " changed, the oracle leaves it alone");
        } else if (!gotRows.has(id)) {
          differences.add(record + " unchanged, the oracle changes it");
        } else if (!JsonEquality.equal(gotRows.get(id), wantRows.get(id))) {
          differences.add(record + firstDifference(gotRows.get(id), wantRows.get(id), ""));
        }
      }
    }
    return String.join("; ", differences);
  }

  /** Where two JSON trees first differ: {@code .status is "x", the oracle has "y"}. */
  private static String firstDifference(JsonNode got, JsonNode want, String path) {
    if (got.isObject() && want.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      got.fieldNames().forEachRemaining(names::add);
      want.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode a = got.path(name);
        JsonNode b = want.path(name);
        if (!JsonEquality.equal(a, b)) {
          return firstDifference(a, b, path + "." + name);
        }
      }
    } else if (got.isArray() && want.isArray() && got.size() == want.size()) {
      for (int i = 0; i < got.size(); i++) {
        if (!JsonEquality.equal(got.get(i), want.get(i))) {
          return firstDifference(got.get(i), want.get(i), path + "[" + i + "]");
        }
      }
    }
    return path + " is " + show(got) + ", the oracle has " + show(want);
  }

  private static String show(JsonNode node) {
    return node.isMissingNode() ? "absent" : cut(node.toString());
  }

  private static String cut(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
