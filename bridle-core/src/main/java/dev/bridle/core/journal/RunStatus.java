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
  COMPLETED,
  FAILED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
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
      default -> this;
    };
  }
}
