package dev.bridle.core.journal;

/**
 * Where a run stands, as the run index shows it. A projection of the journal: {@link
 * #after(RunEvent)} says what each event makes of it, so every store computes it the same way.
 */
public enum RunStatus {
  /** Submitted to the queue; no worker has started it yet. */
  QUEUED,
  /** Being worked on, or interrupted (a crash) and waiting to be resumed. */
  RUNNING,
  /** Waiting for a human decision (an approval, a tool call in doubt). */
  SUSPENDED,
  /** A kill switch parked it; it can be resumed after a revive, or cancelled. */
  KILLED,
  COMPLETED,
  FAILED,
  /** An operator ended it without an answer. */
  CANCELLED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The status after {@code event}, given this one. */
  public RunStatus after(RunEvent event) {
    return switch (event) {
      case RunEvent.RunSubmitted e -> QUEUED;
      case RunEvent.RunCompleted e -> COMPLETED;
      case RunEvent.RunFailed e -> FAILED;
      case RunEvent.RunSuspended e -> SUSPENDED;
      case RunEvent.RunStarted e -> RUNNING;
      case RunEvent.RunResumed e -> RUNNING;
      case RunEvent.RunKilled e -> KILLED;
      case RunEvent.RunCancelled e -> CANCELLED;
      // a decision makes a suspended run claimable by any node that serves its workflow
      case RunEvent.ApprovalDecided e -> this == SUSPENDED ? QUEUED : this;
      default -> this;
    };
  }
}
