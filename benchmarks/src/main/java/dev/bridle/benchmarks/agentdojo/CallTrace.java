package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one proposed call, read back from the run's journal: policy's first verdict and
 * the rule that gave it, whether a human was asked and what they decided, and whether it started.
 *
 * @param verdict policy's first verdict ({@code ALLOW}, {@code DENY}, {@code ASK}, {@code SHADOW}),
 *     or {@code none} when the call never reached policy (unknown tool, invalid arguments)
 * @param rule the rule or check behind that verdict
 * @param decision the human's decision ({@code APPROVE}, {@code REJECT}, ...), or {@code none}
 */
record CallTrace(
    String callId,
    FunctionCall call,
    String verdict,
    String rule,
    boolean asked,
    String decision,
    boolean started) {

  private static final ObjectMapper JSON = new ObjectMapper();

  boolean deniedByPolicy() {
    return verdict.equals("DENY");
  }

  boolean rejectedByHuman() {
    return decision.equals("REJECT");
  }

  /** The traces of every proposed call of a run, in order. */
  static List<CallTrace> of(List<JournalEntry> journal) {
    Map<String, Builder> calls = new LinkedHashMap<>();
    for (JournalEntry entry : journal) {
      switch (entry.event()) {
        case RunEvent.ToolCallProposed e ->
            calls.putIfAbsent(
                e.callId(), new Builder(e.callId(), call(e.toolName(), e.arguments())));
        case RunEvent.PolicyDecided e ->
            find(calls, e.callId())
                .filter(b -> b.verdict == null)
                .ifPresent(
                    b -> {
                      b.verdict = e.verdict().name();
                      b.rule = e.rule();
                    });
        case RunEvent.ApprovalRequested e -> find(calls, e.callId()).ifPresent(b -> b.asked = true);
        case RunEvent.ApprovalDecided e ->
            find(calls, e.callId()).ifPresent(b -> b.decision = e.decision().name());
        case RunEvent.ToolCallStarted e -> find(calls, e.callId()).ifPresent(b -> b.started = true);
        default -> {}
      }
    }
    List<CallTrace> traces = new ArrayList<>();
    calls.values().forEach(b -> traces.add(b.build()));
    return traces;
  }

  private static Optional<Builder> find(Map<String, Builder> calls, String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  private static FunctionCall call(String tool, String arguments) {
    try {
      JsonNode args = JSON.readTree(arguments);
      return new FunctionCall(
          tool, args.isObject() ? (ObjectNode) args : JsonNodeFactory.instance.objectNode());
    } catch (JsonProcessingException e) {
      return new FunctionCall(tool, JsonNodeFactory.instance.objectNode());
    }
  }

  private static final class Builder {
    private final String callId;
    private final FunctionCall call;
    private String verdict;
    private String rule;
    private boolean asked;
    private String decision;
    private boolean started;

    Builder(String callId, FunctionCall call) {
      this.callId = callId;
      this.call = call;
    }

    CallTrace build() {
      return new CallTrace(
          callId,
          call,
          verdict == null ? "none" : verdict,
          rule == null ? "none" : rule,
          asked,
          decision == null ? "none" : decision,
          started);
    }
  }
}
