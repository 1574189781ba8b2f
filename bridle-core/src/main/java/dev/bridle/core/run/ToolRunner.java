package dev.bridle.core.run;

import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunEvent.CallStatus;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolHandler;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one validated tool call on a virtual thread with a timeout and turns whatever happens into
 * an observation for the model. Never throws for a tool's failure.
 */
final class ToolRunner {

  /** Observations longer than this are cut, so that one tool cannot flood the context. */
  static final int MAX_OBSERVATION_CHARS = 32_000;

  record Outcome(CallStatus status, String observation, dev.bridle.core.tool.Change change) {
    Outcome(CallStatus status, String observation) {
      this(status, observation, null);
    }
  }

  private ToolRunner() {}

  static Outcome run(Tool<?> tool, Object arguments, ToolContext context, Duration timeout) {
    FutureTask<Object> task = new FutureTask<>(() -> invoke(tool, arguments, context));
    Thread.ofVirtual().name("bridle-tool-" + tool.name()).start(task);
    try {
      Object result = task.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      if (result instanceof dev.bridle.core.tool.ToolOutput output) {
        return new Outcome(CallStatus.SUCCEEDED, render(output.result()), output.change());
      }
      return new Outcome(CallStatus.SUCCEEDED, render(result));
    } catch (TimeoutException e) {
      task.cancel(true);
      return new Outcome(
          CallStatus.TIMED_OUT,
          "Tool '" + tool.name() + "' timed out after " + timeout.toMillis() + " ms.");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Outcome(
          CallStatus.FAILED,
          truncate(
              "Tool '"
                  + tool.name()
                  + "' failed: "
                  + cause.getClass().getSimpleName()
                  + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return new Outcome(CallStatus.FAILED, "Tool '" + tool.name() + "' was interrupted.");
    }
  }

  /** What a tool's precondition said about a call. */
  sealed interface Check {
    /** The call may proceed (or the tool declares no precondition). */
    record Holds() implements Check {}

    /** The precondition refused the call; {@code message} is the tool's, for the model. */
    record Refused(String message) implements Check {}

    /** The precondition threw or did not answer in time; {@code message} says which. */
    record Failed(String message) implements Check {}
  }

  /**
   * Runs the tool's precondition on a virtual thread within {@code timeout}. Never throws for the
   * precondition's failure: that is a {@link Check.Failed}.
   */
  static Check check(Tool<?> tool, Object arguments, ToolContext context, Duration timeout) {
    if (tool.precondition().isEmpty()) {
      return new Check.Holds();
    }
    FutureTask<java.util.Optional<String>> task =
        new FutureTask<>(() -> checkPrecondition(tool, arguments, context));
    Thread.ofVirtual().name("bridle-precondition-" + tool.name()).start(task);
    try {
      java.util.Optional<String> refusal =
          task.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      if (refusal == null || refusal.isEmpty()) {
        return new Check.Holds();
      }
      String message = refusal.get().isBlank() ? "(no reason given)" : refusal.get();
      return new Check.Refused(truncate(message));
    } catch (TimeoutException e) {
      task.cancel(true);
      return new Check.Failed(
          "the precondition of '"
              + tool.name()
              + "' did not answer within "
              + timeout.toMillis()
              + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Check.Failed(
          truncate(
              "the precondition of '"
                  + tool.name()
                  + "' failed: "
                  + cause.getClass().getSimpleName()
                  + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return new Check.Failed("the precondition of '" + tool.name() + "' was interrupted");
    }
  }

  @SuppressWarnings("unchecked")
  private static java.util.Optional<String> checkPrecondition(
      Tool<?> tool, Object arguments, ToolContext context) throws Exception {
    Tool.Precondition<Object> precondition =
        (Tool.Precondition<Object>) (Tool.Precondition<?>) tool.precondition().orElseThrow();
    return precondition.check(arguments, context);
  }

  @SuppressWarnings("unchecked")
  private static Object invoke(Tool<?> tool, Object arguments, ToolContext context)
      throws Exception {
    return ((ToolHandler<Object>) tool.handler()).invoke(arguments, context);
  }

  static String render(Object result) {
    if (result == null) {
      return "ok";
    }
    String text = result instanceof CharSequence s ? s.toString() : Json.write(result);
    return truncate(text);
  }

  static String truncate(String text) {
    if (text.length() <= MAX_OBSERVATION_CHARS) {
      return text;
    }
    return text.substring(0, MAX_OBSERVATION_CHARS)
        + "\n[truncated: "
        + (text.length() - MAX_OBSERVATION_CHARS)
        + " more characters]";
  }
}
