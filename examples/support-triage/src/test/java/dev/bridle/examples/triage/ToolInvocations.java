package dev.bridle.examples.triage;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolResolution;
import dev.bridle.core.tool.Toolbox;
import java.time.Instant;
import java.util.List;

/**
 * Calls tools the way the agent loop does, minus the loop: resolve the JSON arguments against the
 * real schema through a {@link Toolbox}, then run the handler with a real {@link ToolContext}.
 */
final class ToolInvocations {

  private final Toolbox toolbox;
  private final RunId runId;
  private int calls;

  ToolInvocations(List<Tool<?>> tools, RunId runId) {
    this.toolbox = Toolbox.of(tools);
    this.runId = runId;
  }

  /** Runs a call whose arguments must be valid and returns the handler's result. */
  Object call(String tool, String argumentsJson) throws Exception {
    String callId = "call_" + (++calls);
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

  /** Runs the handler of {@code tool} again under the context of an earlier call. */
  Object repeat(String tool, String argumentsJson, String callId) throws Exception {
    if (!(toolbox.resolve(new ToolCall(callId, tool, argumentsJson))
        instanceof ToolResolution.Resolved resolved)) {
      throw new AssertionError("arguments were not accepted: " + argumentsJson);
    }
    return invoke(resolved.tool(), resolved.typedArguments(), context(callId));
  }

  private ToolContext context(String callId) {
    return new ToolContext(
        runId, callId, runId + "/" + callId, "agent:test@1", Instant.now().plusSeconds(60));
  }

  private static <A> Object invoke(Tool<A> tool, Object arguments, ToolContext context)
      throws Exception {
    return tool.handler().invoke(tool.argumentType().cast(arguments), context);
  }
}
