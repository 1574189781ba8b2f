package dev.bridle.core.control;

import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * Tells people what an agent did or needs (DESIGN §4): an autonomous change inside its undo window,
 * a pending approval. Implementations must not throw for a delivery failure and must not block the
 * run for long; a webhook notifier lives in the server module.
 */
@FunctionalInterface
public interface Notifier {

  /** What happened. */
  enum Kind {
    /**
     * An autonomous call with an effect ran; a reversible one can be undone until {@code
     * undoUntil}.
     */
    AUTONOMOUS_ACTION,
    /** A call waits for a human. */
    APPROVAL_PENDING,
    /** Spending crossed a budget's soft threshold or reached its hard limit. */
    BUDGET_ALERT
  }

  /**
   * One notification.
   *
   * @param callId the call, or empty for a notification about the run (a budget alert)
   * @param toolName the tool, or empty for a notification about the run
   * @param text one line a person can read; contains no argument values (they may be personal)
   * @param undoUntil the end of the undo window, or null when the action cannot be undone
   */
  record Notification(
      Kind kind,
      String workflow,
      RunId runId,
      String callId,
      String toolName,
      String text,
      Instant undoUntil) {
    public Notification {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(toolName, "toolName");
      Objects.requireNonNull(text, "text");
    }
  }

  void notify(Notification notification);

  /** Logs each notification at INFO through {@link System.Logger}. */
  Notifier LOG =
      notification ->
          System.getLogger(Notifier.class.getName())
              .log(System.Logger.Level.INFO, notification.kind() + ": " + notification.text());
}
