package dev.bridle.core.journal;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.Usage;
import dev.bridle.core.tool.Effect;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything that happens in a run, as an append-only sequence of events (DESIGN §1). Each event is
 * appended before its effect happens; the run's state is a fold over its events ({@link
 * dev.bridle.core.run.RunState}). Serialised as versioned JSON by {@link EventCodec}.
 */
public sealed interface RunEvent {

  /** When the event was recorded, by the run's clock. */
  Instant at();

  /**
   * A run began.
   *
   * @param agent the acting identity, {@code agent:<workflow>@<version>}
   */
  record RunStarted(
      Instant at,
      String workflow,
      String workflowVersion,
      String agent,
      String user,
      String instructions,
      String task,
      String modelId)
      implements RunEvent {
    public RunStarted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(user, "user");
    }
  }

  /** A run was put on the queue for a worker to start; it has no {@link RunStarted} yet. */
  record RunSubmitted(Instant at, String workflow, String user, String task) implements RunEvent {}

  /** A run was picked up again after an interruption (a crash, a restart, a decision). */
  record RunResumed(Instant at, String by) implements RunEvent {}

  /** A run now waits for a human and holds no thread. */
  record RunSuspended(Instant at, String reason) implements RunEvent {}

  /** A model answered; recorded before any tool call in it is acted on, never re-requested. */
  record ModelResponded(
      Instant at,
      int step,
      String modelId,
      ChatMessage.Assistant message,
      Usage usage,
      long latencyMillis)
      implements RunEvent {}

  /** The model asked for a tool call (whatever its validity). */
  record ToolCallProposed(Instant at, int step, String callId, String toolName, String arguments)
      implements RunEvent {}

  /** Why a call was not executed before it reached the tool. */
  enum Rejection {
    UNKNOWN_TOOL,
    INVALID_ARGUMENTS
  }

  /** A proposed call was not run; {@code observation} is what the model was told. */
  record ToolCallRejected(
      Instant at, String callId, String toolName, Rejection reason, String observation)
      implements RunEvent {}

  /** Write-ahead: the tool is about to run with this idempotency key. */
  record ToolCallStarted(
      Instant at,
      String callId,
      String toolName,
      Effect effect,
      boolean idempotent,
      String idempotencyKey,
      String arguments)
      implements RunEvent {}

  /**
   * Found on resume: the call started and never completed, and the tool is not idempotent, so
   * nobody knows whether its effect happened. It is not run again; a human decides.
   */
  record ToolCallInDoubt(
      Instant at, String callId, String toolName, String idempotencyKey, String reason)
      implements RunEvent {}

  /** How a started call ended. */
  enum CallStatus {
    SUCCEEDED,
    FAILED,
    TIMED_OUT
  }

  /** A tool call ended; {@code observation} is what the model was told. */
  record ToolCallCompleted(
      Instant at,
      String callId,
      String toolName,
      CallStatus status,
      String observation,
      long durationMillis)
      implements RunEvent {}

  /** The model gave a final answer. */
  record RunCompleted(Instant at, String answer, int steps, Usage usage) implements RunEvent {}

  /** Why a run ended without an answer. */
  enum FailureKind {
    /** A model or system failure. */
    ERROR,
    STEP_LIMIT,
    DEADLINE,
    LOOP
  }

  /** A run ended without an answer. */
  record RunFailed(Instant at, FailureKind kind, String reason, int steps, Usage usage)
      implements RunEvent {}
}
