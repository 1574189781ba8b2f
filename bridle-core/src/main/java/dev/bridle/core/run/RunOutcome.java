package dev.bridle.core.run;

import java.time.Duration;

/** How a run ended. Switch over it exhaustively; new outcomes are compile errors, not surprises. */
public sealed interface RunOutcome {

  /** One line a person can read. */
  String message();

  /** The model gave its final answer. */
  record Completed(String answer) implements RunOutcome {
    @Override
    public String message() {
      return "completed";
    }
  }

  /** A model or system failure ended the run. */
  record Failed(String reason) implements RunOutcome {
    @Override
    public String message() {
      return "failed: " + reason;
    }
  }

  /** The run used its last step without a final answer. */
  record StepLimitReached(int maxSteps) implements RunOutcome {
    @Override
    public String message() {
      return "stopped: step limit of " + maxSteps + " model calls reached without a final answer";
    }
  }

  /** The run's wall-clock deadline passed. */
  record DeadlineExceeded(Duration deadline) implements RunOutcome {
    @Override
    public String message() {
      return "stopped: deadline of " + deadline + " exceeded";
    }
  }

  /** The model kept proposing the same call with the same arguments. */
  record LoopDetected(String toolName, String arguments, int times) implements RunOutcome {
    @Override
    public String message() {
      return "stopped: loop detected, the model proposed "
          + toolName
          + " with the same arguments "
          + times
          + " times";
    }
  }

  /**
   * The run waits for a human (an approval, an in-doubt call) and holds no thread.
   *
   * @param approvalIds the inbox items it waits on ({@code <runId>/<callId>})
   */
  record Suspended(String reason, java.util.List<String> approvalIds) implements RunOutcome {
    public Suspended {
      approvalIds = java.util.List.copyOf(approvalIds);
    }

    public Suspended(String reason) {
      this(reason, java.util.List.of());
    }

    @Override
    public String message() {
      return "suspended: " + reason;
    }
  }

  /** A guard refused the task or the answer. */
  record Blocked(String guard, String reason) implements RunOutcome {
    @Override
    public String message() {
      return "blocked by guard " + guard + ": " + reason;
    }
  }

  /** A guard handed the run to a human; it waits in the fallback queue. */
  record Escalated(String guard, String reason) implements RunOutcome {
    @Override
    public String message() {
      return "escalated to a human by guard " + guard + ": " + reason;
    }
  }

  /** A budget's hard limit stopped the run before a model call that would cross it. */
  record BudgetExhausted(String reason) implements RunOutcome {
    @Override
    public String message() {
      return "stopped: budget exhausted: " + reason;
    }
  }

  /** An operator cancelled the run while it waited. */
  record Cancelled(String by, String reason) implements RunOutcome {
    @Override
    public String message() {
      return "cancelled by " + by + (reason.isBlank() ? "" : ": " + reason);
    }
  }

  /** A kill switch stopped the run; it is parked, resumable after a revive. */
  record Killed(String reason) implements RunOutcome {
    @Override
    public String message() {
      return "killed: " + reason;
    }
  }
}
