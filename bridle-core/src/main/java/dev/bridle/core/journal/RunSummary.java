package dev.bridle.core.journal;

import dev.bridle.core.model.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the run index: what listing and filtering need, kept up to date from the events as
 * they are appended.
 *
 * @param task the task, cut to at most 200 characters
 * @param lastSeq the sequence number of the run's last event
 */
public record RunSummary(
    RunId runId,
    String workflow,
    String workflowVersion,
    String user,
    RunStatus status,
    Instant createdAt,
    Instant updatedAt,
    int steps,
    Usage usage,
    String task,
    long lastSeq) {

  public static final int TASK_PREVIEW_CHARS = 200;

  public RunSummary {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
  }

  /** The summary of a run whose first event is {@code first}, appended as number 1. */
  public static RunSummary start(RunId runId, RunEvent first) {
    RunSummary empty =
        new RunSummary(
            runId, "", "", "", RunStatus.RUNNING, first.at(), first.at(), 0, Usage.ZERO, "", 0);
    return empty.after(1, first);
  }

  /** This summary after {@code event}, appended as number {@code seq}. */
  public RunSummary after(long seq, RunEvent event) {
    String newWorkflow = workflow;
    String newVersion = workflowVersion;
    String newUser = user;
    String newTask = task;
    int newSteps = steps;
    Usage newUsage = usage;
    Instant created = createdAt;
    switch (event) {
      case RunEvent.RunStarted e -> {
        newWorkflow = e.workflow();
        newVersion = e.workflowVersion();
        newUser = e.user();
        newTask = preview(e.task());
      }
      case RunEvent.RunSubmitted e -> {
        newWorkflow = e.workflow();
        newUser = e.user();
        newTask = preview(e.task());
      }
      case RunEvent.ModelResponded e -> {
        newSteps = e.step();
        newUsage = usage.plus(e.usage());
      }
      default -> {}
    }
    return new RunSummary(
        runId,
        newWorkflow,
        newVersion,
        newUser,
        status.after(event),
        created,
        event.at(),
        newSteps,
        newUsage,
        newTask,
        seq);
  }

  /** The first 200 characters, never splitting a surrogate pair. */
  private static String preview(String text) {
    if (text.length() <= TASK_PREVIEW_CHARS) {
      return text;
    }
    int end = TASK_PREVIEW_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
