package dev.bridle.core.journal;

import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Change;
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
   * Whether {@code event} ends a run ({@code RunCompleted}, {@code RunFailed}, {@code
   * RunCancelled}). Events may follow it in the journal ({@code EvaluationScored}, {@code
   * ChangeReverted}), so the end is not always the last event.
   */
  static boolean endsRun(RunEvent event) {
    return event instanceof RunCompleted
        || event instanceof RunFailed
        || event instanceof RunCancelled;
  }

  /**
   * A run began. With the workflow's version, the definition hash and the model id, it says exactly
   * what ran: which instructions, which tools and which policy, on which model.
   *
   * @param workflowVersion the version of the workflow that runs it, and resumes it: a run keeps
   *     the version it started with
   * @param agent the acting identity, {@code agent:<workflow>@<version>}
   * @param definitionHash {@code sha256:} and the hex digest of the agent's instructions, tools and
   *     policy version ({@code Agent.definitionHash()}); null in runs recorded before Bridle
   *     recorded it
   */
  record RunStarted(
      Instant at,
      String workflow,
      String workflowVersion,
      String agent,
      String user,
      String instructions,
      String task,
      String modelId,
      String definitionHash)
      implements RunEvent {
    public RunStarted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(user, "user");
    }

    /** A start with no definition hash, as runs recorded before version 2 of this event. */
    public RunStarted(
        Instant at,
        String workflow,
        String workflowVersion,
        String agent,
        String user,
        String instructions,
        String task,
        String modelId) {
      this(at, workflow, workflowVersion, agent, user, instructions, task, modelId, null);
    }
  }

  /** A run was put on the queue for a worker to start; it has no {@link RunStarted} yet. */
  record RunSubmitted(Instant at, String workflow, String user, String task) implements RunEvent {}

  /** A run was picked up again after an interruption (a crash, a restart, a decision). */
  record RunResumed(Instant at, String by) implements RunEvent {}

  /** A run now waits for a human and holds no thread. */
  record RunSuspended(Instant at, String reason) implements RunEvent {}

  /**
   * A model answered; recorded before any tool call in it is acted on, never re-requested.
   *
   * @param costUsd what the call cost by the price table of its day; null when the model has no
   *     price
   */
  record ModelResponded(
      Instant at,
      int step,
      String modelId,
      ChatMessage.Assistant message,
      Usage usage,
      long latencyMillis,
      java.math.BigDecimal costUsd)
      implements RunEvent {

    public ModelResponded(
        Instant at,
        int step,
        String modelId,
        ChatMessage.Assistant message,
        Usage usage,
        long latencyMillis) {
      this(at, step, modelId, message, usage, latencyMillis, null);
    }
  }

  /**
   * Spending crossed a budget's soft threshold or hard limit with this call (DESIGN §5).
   *
   * @param hard whether the hard limit is now reached: the next call will be refused
   */
  record BudgetThresholdCrossed(Instant at, boolean hard, String message) implements RunEvent {}

  /** The model asked for a tool call (whatever its validity). */
  record ToolCallProposed(Instant at, int step, String callId, String toolName, String arguments)
      implements RunEvent {}

  /** Why a call was not executed before it reached the tool. */
  enum Rejection {
    UNKNOWN_TOOL,
    INVALID_ARGUMENTS,
    /** Policy denied the call. */
    POLICY_DENIED,
    /** The approver's edit did not validate or policy refused it at execution time. */
    EDIT_REFUSED,
    /** A guard refused the call's arguments. */
    GUARD_BLOCKED,
    /** A rate limit was reached; the observation says when to try again. */
    RATE_LIMITED,
    /**
     * The tool's precondition refused the call (the order is not pending, the balance is too low):
     * no approval was asked and the tool did not run; the observation is the tool's message.
     */
    PRECONDITION_FAILED,
    /**
     * The tool's precondition could not be checked (it threw or timed out): the call did not run.
     */
    PRECONDITION_ERROR
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

  /**
   * A tool call ended; {@code observation} is what the model was told.
   *
   * @param change what the call changed and how to undo it, as the tool reported it; null when it
   *     reported nothing
   */
  record ToolCallCompleted(
      Instant at,
      String callId,
      String toolName,
      CallStatus status,
      String observation,
      long durationMillis,
      Change change)
      implements RunEvent {

    public ToolCallCompleted(
        Instant at,
        String callId,
        String toolName,
        CallStatus status,
        String observation,
        long durationMillis) {
      this(at, callId, toolName, status, observation, durationMillis, null);
    }
  }

  /**
   * Policy decided a call (DESIGN §4), before anything else happened to it.
   *
   * @param rule the rule or check that decided
   * @param policyVersion the version of the policy that decided
   */
  record PolicyDecided(
      Instant at,
      String callId,
      String toolName,
      Verdict verdict,
      String rule,
      String reason,
      String policyVersion)
      implements RunEvent {}

  /**
   * Shadow mode: the call was recorded as what the agent would have done, and not executed. {@code
   * observation} is what the model was told.
   */
  record ToolCallShadowed(
      Instant at,
      String callId,
      String toolName,
      Effect effect,
      String arguments,
      String observation)
      implements RunEvent {}

  /**
   * A call waits for a human; the run suspends after this event.
   *
   * @param approvalId {@code <runId>/<callId>}
   * @param argumentsHash the canonical hash of {@code arguments}: a decision binds to it
   * @param reason why it escalated: the rule or check and its explanation
   * @param requester the run's user
   * @param preview the effect as it would happen (the e-mail as sent; a field before and after)
   * @param expiresAt when the workflow's default decision applies
   * @param onTimeout that default decision: {@link Decision#APPROVE} or {@link Decision#REJECT}
   * @param fourEyes whether the approver must not be the requester
   */
  record ApprovalRequested(
      Instant at,
      String approvalId,
      String callId,
      String toolName,
      Effect effect,
      String arguments,
      String argumentsHash,
      String policyVersion,
      String reason,
      String requester,
      String preview,
      Instant expiresAt,
      Decision onTimeout,
      boolean fourEyes)
      implements RunEvent {}

  /** What a human decided about a call. */
  enum Decision {
    /** Run the call as proposed (for a call in doubt: run it again). */
    APPROVE,
    /** Run the call with the approver's arguments, re-validated and re-checked by policy. */
    EDIT,
    /** Do not run it; the message tells the model why. */
    REJECT,
    /** Do not run it; the message is the tool's result (for a call in doubt: what happened). */
    RESPOND
  }

  /**
   * A human (or the approval timeout) decided a call. Binds to the call, the hash of the arguments
   * it approves and the policy version it was asked under; appended once (the journal's conditional
   * append makes a second decision fail).
   *
   * @param arguments the arguments to run with (the edited ones for {@link Decision#EDIT})
   * @param argumentsHash the canonical hash of {@code arguments}
   * @param message the reason for a rejection, or the response in place of the tool
   */
  record ApprovalDecided(
      Instant at,
      String approvalId,
      String callId,
      Decision decision,
      String arguments,
      String argumentsHash,
      String policyVersion,
      String approver,
      String message)
      implements RunEvent {}

  /**
   * A guard did not simply pass (DESIGN §2): it flagged, redacted, asked the model to try again,
   * escalated or blocked. {@code reason} never holds the sensitive values themselves. A {@code
   * REASK} on the model's answer adds {@code reason} to the conversation as feedback.
   *
   * @param toolName the tool, for the tool stages; null otherwise
   * @param callId the call, for the tool stages; null otherwise
   */
  record GuardTripped(
      Instant at,
      String guard,
      GuardStage stage,
      GuardTrip.Kind kind,
      String reason,
      String toolName,
      String callId)
      implements RunEvent {}

  /** A kill switch stopped the run; it is parked until revived and resumed, or cancelled. */
  record RunKilled(Instant at, String reason, int steps, Usage usage) implements RunEvent {}

  /** An operator ended a run that waited (killed, suspended, interrupted) without finishing it. */
  record RunCancelled(Instant at, String by, String reason, int steps, Usage usage)
      implements RunEvent {}

  /**
   * A change of call {@code callId} was undone by running its inverse call (DESIGN §3.6).
   *
   * @param status how the inverse call ended; only {@code SUCCEEDED} means the change is undone
   * @param by who asked for the revert
   */
  record ChangeReverted(
      Instant at,
      String callId,
      String toolName,
      String inverseTool,
      String inverseArguments,
      CallStatus status,
      String observation,
      String by)
      implements RunEvent {}

  /**
   * A finished run was scored by its workflow's online checks (continuous evaluation, {@code
   * docs/evaluation.md}); appended after the run's end, to runs in the workflow's sample.
   *
   * @param sample the share of the workflow's runs that are scored, e.g. {@code 10%}
   * @param passed whether every check passed
   * @param checks each check that applied, in a fixed order: outcome, output, max-steps,
   *     max-cost-usd
   */
  record EvaluationScored(
      Instant at, String sample, boolean passed, java.util.List<EvaluationCheck> checks)
      implements RunEvent {
    public EvaluationScored {
      Objects.requireNonNull(at, "at");
      checks = java.util.List.copyOf(checks);
    }
  }

  /**
   * One online check of an {@link EvaluationScored}.
   *
   * @param check {@code outcome}, {@code output}, {@code max-steps} or {@code max-cost-usd}
   * @param detail what was found and what was allowed, in one line a person can read
   */
  record EvaluationCheck(String check, boolean passed, String detail) {
    public EvaluationCheck {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The model gave a final answer. */
  record RunCompleted(Instant at, String answer, int steps, Usage usage) implements RunEvent {}

  /** Why a run ended without an answer. */
  enum FailureKind {
    /** A model or system failure. */
    ERROR,
    STEP_LIMIT,
    DEADLINE,
    LOOP,
    /** A guard refused the input or the answer. */
    GUARD,
    /** A guard handed the run to a human (the fallback queue). */
    ESCALATED,
    /** A token or money budget's hard limit. */
    BUDGET
  }

  /** A run ended without an answer. */
  record RunFailed(Instant at, FailureKind kind, String reason, int steps, Usage usage)
      implements RunEvent {}
}
