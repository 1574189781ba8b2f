package dev.bridle.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a human actually did about the task of a run in shadow mode: the calls they made, or none.
 * Compared with the calls the agent would have made ({@code ToolCallShadowed}) by {@link
 * Agreement}. Recorded once per run.
 *
 * @param workflow the run's workflow, from its {@code RunStarted}
 * @param workflowVersion the run's workflow version, from its {@code RunStarted}
 * @param calls what the human did, in any order; empty when they did nothing
 * @param by who recorded it
 * @param at when it was recorded
 */
public record ShadowDecision(
    RunId runId,
    String workflow,
    String workflowVersion,
    List<HumanCall> calls,
    String by,
    Instant at) {

  /** The most calls one decision may list. */
  public static final int MAX_CALLS = 100;

  private static final Set<String> CALL_FIELDS = Set.of("tool", "arguments");

  public ShadowDecision {
    Objects.requireNonNull(runId, "runId");
    Texts.workflow(workflow);
    Objects.requireNonNull(workflowVersion, "workflowVersion");
    calls = List.copyOf(calls);
    if (calls.size() > MAX_CALLS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "a decision may list at most " + MAX_CALLS + " calls, but listed " + calls.size());
    }
    Texts.actor("by", by);
    Objects.requireNonNull(at, "at");
  }

  /** Whether the human did nothing. */
  public boolean didNothing() {
    return calls.isEmpty();
  }

  /**
   * The calls as a JSON array of {@code {"tool": NAME, "arguments": {...}}}, arguments normalised:
   * the form {@link #parseCalls(String)} reads back.
   */
  public String callsJson() {
    com.fasterxml.jackson.databind.node.ArrayNode array =
        dev.bridle.core.internal.Json.MAPPER.createArrayNode();
    for (HumanCall call : calls) {
      array
          .addObject()
          .put("tool", call.tool())
          .set("arguments", CanonicalJson.parse(call.arguments()).orElseThrow());
    }
    return CanonicalJson.of(array);
  }

  /**
   * The calls of a decision as a person writes it: {@code none} (or the JSON string {@code "none"},
   * or {@code []}) when they did nothing; else a JSON array of {@code {"tool": NAME, "arguments":
   * {...}}}, or an object {@code {"calls": [...]}} holding one.
   *
   * @throws DeploymentException ({@code INVALID}) naming what is wrong and where, e.g. {@code
   *     decision[1].arguments must be a JSON object}
   */
  public static List<HumanCall> parseCalls(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("the decision is empty; give none, or a JSON array of {tool, arguments}");
    }
    if (text.strip().equalsIgnoreCase("none")) {
      return List.of();
    }
    JsonNode node =
        CanonicalJson.parse(text)
            .orElseThrow(
                () ->
                    invalid(
                        "the decision is not JSON; give none, or a JSON array of"
                            + " {\"tool\": NAME, \"arguments\": {...}}"));
    return parseCalls(node);
  }

  /** As {@link #parseCalls(String)}, for a decision already parsed. */
  public static List<HumanCall> parseCalls(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw invalid("the decision is missing; give none, or a JSON array of {tool, arguments}");
    }
    if (node.isTextual() && node.asText().strip().equalsIgnoreCase("none")) {
      return List.of();
    }
    JsonNode array = node;
    String where = "decision";
    if (node.isObject()) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!name.equals("calls")) {
          throw invalid("unknown field decision." + name + "; a decision object has only calls");
        }
      }
      array = node.path("calls");
      where = "decision.calls";
    }
    if (!array.isArray()) {
      throw invalid(
          where
              + " must be none or a JSON array of {tool, arguments}, but was a JSON "
              + (array.isMissingNode() ? "object without calls" : Texts.kind(array)));
    }
    if (array.size() > MAX_CALLS) {
      throw invalid(
          where + " may list at most " + MAX_CALLS + " calls, but listed " + array.size());
    }
    List<HumanCall> calls = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      calls.add(call(where + "[" + i + "]", array.get(i)));
    }
    return calls;
  }

  private static HumanCall call(String where, JsonNode node) {
    if (!node.isObject()) {
      throw invalid(
          where + " must be an object {tool, arguments}, but was a JSON " + Texts.kind(node));
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!CALL_FIELDS.contains(name)) {
        throw invalid("unknown field " + where + "." + name + "; a call has tool and arguments");
      }
    }
    JsonNode tool = node.get("tool");
    if (tool == null || !tool.isTextual() || tool.asText().isBlank()) {
      throw invalid(where + ".tool is required: the name of the tool the human used");
    }
    JsonNode arguments = node.get("arguments");
    if (arguments == null || arguments.isNull()) {
      arguments = dev.bridle.core.internal.Json.MAPPER.createObjectNode();
    }
    if (!arguments.isObject()) {
      throw invalid(
          where + ".arguments must be a JSON object, but was a JSON " + Texts.kind(arguments));
    }
    try {
      return HumanCall.of(tool.asText(), arguments);
    } catch (DeploymentException e) {
      throw invalid(where + ": " + e.getMessage());
    }
  }

  private static DeploymentException invalid(String message) {
    return new DeploymentException(DeploymentException.Reason.INVALID, message);
  }

  /** The decision in one line, without the arguments (they may hold personal data). */
  @Override
  public String toString() {
    return "ShadowDecision[run="
        + runId
        + ", workflow="
        + workflow
        + "@"
        + workflowVersion
        + ", calls="
        + calls.stream().map(HumanCall::tool).toList()
        + ", by="
        + by
        + ", at="
        + at
        + "]";
  }
}
