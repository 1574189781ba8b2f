package dev.bridle.testkit;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolResolution;
import dev.bridle.core.tool.Toolbox;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Calls tools the way the run loop does, minus the loop, for tests of a team's own tools: resolve
 * the JSON arguments against the tool's real schema through a {@link Toolbox}, then run the handler
 * with a real {@link ToolContext} for the given agent identity.
 */
public final class ToolInvocations {

  private final Toolbox toolbox;
  private final RunId runId;
  private final String agent;
  private int calls;

  /**
   * @param agent the identity tools see in {@link ToolContext#agent()}, e.g. {@code
   *     agent:lead-enrichment@1}
   */
  public ToolInvocations(List<? extends Tool<?>> tools, RunId runId, String agent) {
    this.toolbox = Toolbox.of(tools);
    this.runId = Objects.requireNonNull(runId, "runId");
    this.agent = Objects.requireNonNull(agent, "agent");
  }

  /**
   * Runs a call whose arguments must be valid, under a new call id; returns the handler's result.
   */
  public Object call(String tool, String argumentsJson) throws Exception {
    return callAs("call_" + (++calls), tool, argumentsJson);
  }

  /**
   * Runs a call under {@code callId}; a second call with the same id has the same idempotency key,
   * as a call re-run after a crash does.
   */
  public Object callAs(String callId, String tool, String argumentsJson) throws Exception {
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
  public String rejection(String tool, String argumentsJson) {
    return switch (toolbox.resolve(new ToolCall("call_rejected", tool, argumentsJson))) {
      case ToolResolution.InvalidArguments invalid -> invalid.observation();
      case ToolResolution.Resolved resolved ->
          throw new AssertionError("arguments were accepted: " + resolved.canonicalArguments());
      case ToolResolution.UnknownTool unknown ->
          throw new AssertionError("unknown tool: " + unknown.observation());
    };
  }

  /** What an approver would see for this call. */
  public String preview(String tool, String argumentsJson) {
    if (!(toolbox.resolve(new ToolCall("call_preview", tool, argumentsJson))
        instanceof ToolResolution.Resolved resolved)) {
      throw new AssertionError("arguments were not accepted: " + argumentsJson);
    }
    return resolved.tool().preview(resolved.typedArguments(), resolved.canonicalArguments());
  }

  private ToolContext context(String callId) {
    return new ToolContext(
        runId, callId, runId + "/" + callId, agent, Instant.now().plusSeconds(60));
  }

  private static <A> Object invoke(Tool<A> tool, Object arguments, ToolContext context)
      throws Exception {
    return tool.handler().invoke(tool.argumentType().cast(arguments), context);
  }
}
