package dev.bridle.core.run;

/**
 * One tool call of a run as a person reviews it.
 *
 * @param arguments the canonical JSON text of the arguments (the raw text if it was not JSON)
 * @param status {@code proposed}, {@code started}, {@code succeeded}, {@code failed}, {@code
 *     timed_out}, {@code unknown_tool} or {@code invalid_arguments}
 */
public record ToolCallSummary(String callId, String name, String arguments, String status) {

  ToolCallSummary withStatus(String newStatus) {
    return new ToolCallSummary(callId, name, arguments, newStatus);
  }
}
