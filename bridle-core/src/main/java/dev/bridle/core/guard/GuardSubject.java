package dev.bridle.core.guard;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a guard looks at: one piece of text at one stage of one workflow's run. Build it with the
 * factory for its stage ({@link #input}, {@link #modelOutput}, {@link #finalAnswer}, {@link
 * #toolArguments}, {@link #toolResult}).
 *
 * <p>Guards that look for words, names or values read {@link #parts()} rather than {@link #text()}:
 * at {@link GuardStage#TOOL_ARGUMENTS} those are the decoded values and keys of the arguments, so
 * that a line break is a line break and not the two characters {@code \n} glued to the next word.
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

  /** The most argument paths a guard's reason names ("… and 4990 more"). */
  static final int MAX_NAMED_ARGUMENTS = 10;

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

  /**
   * The pieces of text a guard that looks for words, names or values should read. At {@link
   * GuardStage#TOOL_ARGUMENTS}, when the text is a JSON object or array: every string value,
   * decoded from its JSON escapes, every number as written, and every object key, each with where
   * it is in the arguments, in document order. Otherwise (other stages, or arguments that are not
   * JSON): the whole text as one part. Parses the arguments on every call; cheap for arguments of
   * ordinary size.
   */
  public List<Part> parts() {
    if (stage == GuardStage.TOOL_ARGUMENTS) {
      Optional<List<Part>> values = ArgumentValues.parse(text).map(ArgumentValues::parts);
      if (values.isPresent()) {
        return values.get();
      }
    }
    return List.of(new Part(text, Optional.empty(), false));
  }

  /**
   * One piece of a subject's text, as {@link #parts()} returns it.
   *
   * @param text the text: a decoded string value, a number as written, an object key, or the
   *     subject's whole text
   * @param argument where the piece is in the arguments: {@code body}, {@code related_tickets[0]},
   *     {@code customer.email}; for a key, the path of the value it names. A key that is not a
   *     plain name (a letter or {@code _}, then letters, digits, {@code _} and {@code -}, at most
   *     15 in all: shorter than any token a secret detector looks for) or that {@link Redactor}
   *     would redact (an API key used as a key) is shown as {@code <key>}, so that a path does not
   *     repeat a value a guard found. Empty when the part is the whole text.
   * @param key whether the piece is an object key rather than a value
   */
  public record Part(String text, Optional<String> argument, boolean key) {
    public Part {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(argument, "argument");
    }
  }

  /**
   * Like {@link #describe()}, naming the arguments the parts are in when they are known: "argument
   * 'body' of tool 'x'", "arguments 'body', 'subject' of tool 'x'".
   */
  String describe(Collection<Part> where) {
    // a reason goes to the journal, the model and the approver: it names at most ten arguments
    Set<String> arguments = arguments(where);
    if (arguments.isEmpty()) {
      return describe();
    }
    List<String> named =
        arguments.stream().limit(MAX_NAMED_ARGUMENTS).map(a -> "'" + a + "'").toList();
    int more = arguments.size() - named.size();
    return (arguments.size() == 1 ? "argument " : "arguments ")
        + String.join(", ", named)
        + (more > 0 ? " and " + more + " more" : "")
        + " of tool '"
        + toolName.orElseThrow()
        + "'";
  }

  /** Whether {@link #describe(Collection)} names more than one thing ("use", not "uses"). */
  boolean describesMany(Collection<Part> where) {
    Set<String> arguments = arguments(where);
    return arguments.isEmpty() ? stage == GuardStage.TOOL_ARGUMENTS : arguments.size() > 1;
  }

  private Set<String> arguments(Collection<Part> where) {
    Set<String> arguments = new TreeSet<>();
    if (stage == GuardStage.TOOL_ARGUMENTS) {
      where.forEach(part -> part.argument().ifPresent(arguments::add));
    }
    return arguments;
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
