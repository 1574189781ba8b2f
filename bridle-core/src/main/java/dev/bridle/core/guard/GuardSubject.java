package dev.bridle.core.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * What a guard looks at: one piece of text at one stage of one workflow's run. Build it with the
 * factory for its stage ({@link #input}, {@link #modelOutput}, {@link #finalAnswer}, {@link
 * #toolArguments}, {@link #toolResult}).
 *
 * @param workflow the workflow's name, for messages
 * @param stage where in the run the text comes from
 * @param text the text itself; tool arguments as canonical JSON
 * @param toolName the tool, present exactly for {@link GuardStage#TOOL_ARGUMENTS} and {@link
 *     GuardStage#TOOL_RESULT}
 * @param untrusted whether the text comes from content nobody vouches for (an email, a web page, a
 *     ticket body); injection heuristics only look at untrusted text
 * @param finalAnswer whether a {@link GuardStage#MODEL_OUTPUT} text is the run's final answer
 *     rather than text alongside tool calls; always false at other stages
 */
public record GuardSubject(
    String workflow,
    GuardStage stage,
    String text,
    Optional<String> toolName,
    boolean untrusted,
    boolean finalAnswer) {

  public GuardSubject {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(toolName, "toolName");
    boolean toolStage = stage == GuardStage.TOOL_ARGUMENTS || stage == GuardStage.TOOL_RESULT;
    if (toolStage != toolName.isPresent()) {
      throw new IllegalArgumentException(
          "a guard subject at stage "
              + stage.configName()
              + (toolStage ? " needs a tool name" : " must not have a tool name"));
    }
    if (finalAnswer && stage != GuardStage.MODEL_OUTPUT) {
      throw new IllegalArgumentException(
          "only a model-output subject can be a final answer, but the stage was "
              + stage.configName());
    }
  }

  /** The task a run starts with; trusted unless marked with {@link #asUntrusted()}. */
  public static GuardSubject input(String workflow, String task) {
    return new GuardSubject(workflow, GuardStage.INPUT, task, Optional.empty(), false, false);
  }

  /** Text the model returned alongside tool calls. */
  public static GuardSubject modelOutput(String workflow, String text) {
    return new GuardSubject(
        workflow, GuardStage.MODEL_OUTPUT, text, Optional.empty(), false, false);
  }

  /** The model's final answer: a model-output subject that structured-output guards check. */
  public static GuardSubject finalAnswer(String workflow, String text) {
    return new GuardSubject(workflow, GuardStage.MODEL_OUTPUT, text, Optional.empty(), false, true);
  }

  /** A tool call's arguments as canonical JSON. */
  public static GuardSubject toolArguments(String workflow, String tool, String argumentsJson) {
    return new GuardSubject(
        workflow,
        GuardStage.TOOL_ARGUMENTS,
        argumentsJson,
        Optional.of(Objects.requireNonNull(tool, "tool")),
        false,
        false);
  }

  /**
   * A tool's result as the model will see it; {@code untrusted} when it carries outside content.
   */
  public static GuardSubject toolResult(
      String workflow, String tool, String result, boolean untrusted) {
    return new GuardSubject(
        workflow,
        GuardStage.TOOL_RESULT,
        result,
        Optional.of(Objects.requireNonNull(tool, "tool")),
        untrusted,
        false);
  }

  /** The same subject marked as untrusted content. */
  public GuardSubject asUntrusted() {
    return new GuardSubject(workflow, stage, text, toolName, true, finalAnswer);
  }

  /** The same subject with other text, e.g. after a guard redacted it. */
  public GuardSubject withText(String newText) {
    return new GuardSubject(workflow, stage, newText, toolName, untrusted, finalAnswer);
  }

  /** "the task", "the answer", "the arguments of tool 'x'", "the result of tool 'x'". */
  String describe() {
    return switch (stage) {
      case INPUT -> "the task";
      case MODEL_OUTPUT -> finalAnswer ? "the answer" : "the model's text";
      case TOOL_ARGUMENTS -> "the arguments of tool '" + toolName.orElseThrow() + "'";
      case TOOL_RESULT -> "the result of tool '" + toolName.orElseThrow() + "'";
    };
  }
}
