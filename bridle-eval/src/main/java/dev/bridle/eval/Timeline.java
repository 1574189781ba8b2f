package dev.bridle.eval;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Summarises a run's journal into {@link TimelineEntry} lines for reports. */
final class Timeline {

  static final int TEXT_CHARS = 300;

  private Timeline() {}

  static List<TimelineEntry> of(List<JournalEntry> journal) {
    return of(journal, List.of());
  }

  /**
   * The journal's entries with the simulated human's refused edits among them, each after the event
   * it followed (with that event's number: a refused edit is not journaled).
   */
  static List<TimelineEntry> of(List<JournalEntry> journal, List<RefusedEdit> refused) {
    List<TimelineEntry> entries = new ArrayList<>(journal.size() + refused.size());
    int next = 0;
    for (JournalEntry entry : journal) {
      while (next < refused.size() && refused.get(next).afterSeq() < entry.seq()) {
        entries.add(entry(refused.get(next++)));
      }
      entries.add(
          new TimelineEntry(
              entry.seq(),
              entry.event().at(),
              entry.event().getClass().getSimpleName(),
              summary(entry.event())));
    }
    while (next < refused.size()) {
      entries.add(entry(refused.get(next++)));
    }
    return entries;
  }

  private static TimelineEntry entry(RefusedEdit refused) {
    return new TimelineEntry(
        refused.afterSeq(),
        refused.at(),
        RefusedEdit.EVENT,
        refused.tool()
            + " edit by "
            + CaseExecution.APPROVER
            + " refused, the approval stays pending: "
            + abbreviate(refused.reason(), TEXT_CHARS)
            + " (edited arguments "
            + abbreviate(refused.arguments(), TEXT_CHARS)
            + ")");
  }

  static String summary(RunEvent event) {
    return switch (event) {
      case RunEvent.RunStarted e ->
          "task: "
              + abbreviate(e.task(), TEXT_CHARS)
              + " (model "
              + e.modelId()
              + ", user "
              + e.user()
              + ")";
      case RunEvent.RunSubmitted e -> "submitted: " + abbreviate(e.task(), TEXT_CHARS);
      case RunEvent.RunResumed e -> "resumed by " + e.by();
      case RunEvent.RunSuspended e -> "suspended: " + e.reason();
      case RunEvent.ModelResponded e ->
          "step "
              + e.step()
              + ": "
              + (e.message().hasToolCalls()
                  ? e.message().toolCalls().stream()
                      .map(ToolCall::name)
                      .collect(Collectors.joining(", ", "calls ", ""))
                  : "answers " + abbreviate(e.message().text(), TEXT_CHARS))
              + " ("
              + e.usage().totalTokens()
              + " tokens"
              + (e.costUsd() == null ? "" : ", $" + e.costUsd().toPlainString())
              + ")";
      case RunEvent.BudgetThresholdCrossed e ->
          (e.hard() ? "hard" : "soft") + " budget crossed: " + e.message();
      case RunEvent.ToolCallProposed e ->
          e.toolName() + " " + abbreviate(e.arguments(), TEXT_CHARS);
      case RunEvent.ToolCallRejected e ->
          e.toolName()
              + " rejected ("
              + e.reason()
              + "): "
              + abbreviate(e.observation(), TEXT_CHARS);
      case RunEvent.ToolCallStarted e -> e.toolName() + " started (" + e.effect() + ")";
      case RunEvent.ToolCallInDoubt e -> e.toolName() + " in doubt: " + e.reason();
      case RunEvent.ToolCallCompleted e ->
          e.toolName() + " " + e.status() + ": " + abbreviate(e.observation(), TEXT_CHARS);
      case RunEvent.PolicyDecided e ->
          e.toolName()
              + ": "
              + e.verdict()
              + " by "
              + e.rule()
              + (e.reason().isBlank() ? "" : " (" + e.reason() + ")");
      case RunEvent.ToolCallShadowed e ->
          e.toolName() + " shadowed " + abbreviate(e.arguments(), TEXT_CHARS);
      case RunEvent.ApprovalRequested e ->
          e.toolName() + " waits for approval " + e.approvalId() + ": " + e.reason();
      case RunEvent.ApprovalDecided e ->
          e.approvalId()
              + " "
              + e.decision()
              + " by "
              + e.approver()
              + (e.decision() == RunEvent.Decision.EDIT
                  ? " to " + abbreviate(e.arguments(), TEXT_CHARS)
                  : "")
              + (e.message().isBlank() ? "" : ": " + abbreviate(e.message(), TEXT_CHARS));
      case RunEvent.GuardTripped e ->
          "guard "
              + e.guard()
              + " "
              + e.kind()
              + " at "
              + e.stage()
              + (e.toolName() == null ? "" : " (" + e.toolName() + ")")
              + ": "
              + abbreviate(e.reason(), TEXT_CHARS);
      case RunEvent.RunKilled e -> "killed: " + e.reason();
      case RunEvent.RunCancelled e -> "cancelled by " + e.by() + ": " + e.reason();
      case RunEvent.ChangeReverted e ->
          e.toolName() + " reverted by " + e.by() + " (" + e.status() + ")";
      case RunEvent.RunCompleted e ->
          "completed after " + e.steps() + " steps: " + abbreviate(e.answer(), TEXT_CHARS);
      case RunEvent.RunFailed e ->
          "ended " + e.kind() + " after " + e.steps() + " steps: " + e.reason();
      case RunEvent.EvaluationScored e ->
          "online checks " + (e.passed() ? "passed" : "failed") + " (sample " + e.sample() + ")";
    };
  }

  /** {@code text} on one line, cut to {@code max} characters with an ellipsis. */
  static String abbreviate(String text, int max) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    if (line.length() <= max) {
      return line;
    }
    int end = max;
    if (Character.isHighSurrogate(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(0, end) + "…";
  }
}
