package dev.bridle.examples.expense;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolResolution;
import dev.bridle.core.tool.Toolbox;
import java.time.Instant;
import java.util.List;

/**
 * Calls tools the way the run loop does: resolve the model's JSON arguments against the tool's
 * schema through a {@link Toolbox}, then run the handler with a real {@link ToolContext} whose
 * agent is {@value #AGENT}.
 */
final class ToolInvocations {

  static final String AGENT = "agent:expense-approval@1";

  private final Toolbox toolbox;
  private final RunId runId;
  private int calls;

  ToolInvocations(List<Tool<?>> tools, RunId runId) {
    this.toolbox = Toolbox.of(tools);
    this.runId = runId;
  }

  /**
   * Runs a call whose arguments must be valid, under a new call id; returns the handler's result.
   */
  Object call(String tool, String argumentsJson) throws Exception {
    return callAs("call_" + (++calls), tool, argumentsJson);
  }

  /**
   * Runs a call under {@code callId}; a second call with the same id has the same idempotency key,
   * as a call re-run after a crash does.
   */
  Object callAs(String callId, String tool, String argumentsJson) throws Exception {
    return switch (toolbox.resolve(new ToolCall(callId, tool, argumentsJson))) {
      case ToolResolution.Resolved resolved ->
          invoke(resolved.tool(), resolved.typedArguments(), context(callId));
      case ToolResolution.InvalidArguments invalid ->
          throw new AssertionError("arguments were rejected: " + invalid.observation());
      case ToolResolution.UnknownTool unknown ->
          throw new AssertionError("unknown tool: " + unknown.observation());
    };
  }

  /** Resolves a call whose arguments must break the schema and returns what the model is told. */
  String rejection(String tool, String argumentsJson) {
    return switch (toolbox.resolve(new ToolCall("call_rejected", tool, argumentsJson))) {
      case ToolResolution.InvalidArguments invalid -> invalid.observation();
      case ToolResolution.Resolved resolved ->
          throw new AssertionError("arguments were accepted: " + resolved.canonicalArguments());
      case ToolResolution.UnknownTool unknown ->
          throw new AssertionError("unknown tool: " + unknown.observation());
    };
  }

  /** What an approver would see for this call. */
  String preview(String tool, String argumentsJson) {
    if (!(toolbox.resolve(new ToolCall("call_preview", tool, argumentsJson))
        instanceof ToolResolution.Resolved resolved)) {
      throw new AssertionError("arguments were not accepted: " + argumentsJson);
    }
    return resolved.tool().preview(resolved.typedArguments(), resolved.canonicalArguments());
  }

  private ToolContext context(String callId) {
    return new ToolContext(
        runId, callId, runId + "/" + callId, AGENT, Instant.now().plusSeconds(60));
  }

  private static <A> Object invoke(Tool<A> tool, Object arguments, ToolContext context)
      throws Exception {
    return tool.handler().invoke(tool.argumentType().cast(arguments), context);
  }
}
