package dev.bridle.core.approval;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.run.ToolCallSummary;
import java.time.Instant;
import java.util.List;

/**
 * One item of the approvals inbox: a call that waits for a human, with what the approver needs to
 * decide it (the escalation context).
 *
 * @param id {@code <runId>/<callId>}
 * @param kind a policy approval, or a call in doubt after a crash ("did this happen?")
 * @param agent the acting identity, {@code agent:<workflow>@<version>}
 * @param requester the run's user
 * @param arguments the canonical JSON arguments the call would run with
 * @param argumentsHash what a decision binds to
 * @param reason why it escalated: the rule or check, and its explanation
 * @param preview the effect as it would happen
 * @param expiresAt when {@code onTimeout} applies (null for a call in doubt: it waits for a person)
 * @param context the task, what the agent tried, and what it gathered
 */
public record ApprovalItem(
    String id,
    RunId runId,
    String callId,
    Kind kind,
    String workflow,
    String workflowVersion,
    String agent,
    String requester,
    String toolName,
    String arguments,
    String argumentsHash,
    String policyVersion,
    String reason,
    String preview,
    Instant requestedAt,
    Instant expiresAt,
    RunEvent.Decision onTimeout,
    boolean fourEyes,
    Context context) {

  /** What kind of question the item asks. */
  public enum Kind {
    /** Policy asked for approval before the call runs. */
    APPROVAL,
    /** The call started and the run stopped before its result was recorded: did it happen? */
    IN_DOUBT
  }

  /**
   * The escalation context.
   *
   * @param task what the run was asked to do
   * @param tried the run's tool calls so far, with their status
   * @param gathered the tool results so far (each cut to a preview)
   */
  public record Context(String task, List<ToolCallSummary> tried, List<Gathered> gathered) {
    public Context {
      tried = List.copyOf(tried);
      gathered = List.copyOf(gathered);
    }
  }

  /** One tool result the agent gathered, cut to at most {@link #PREVIEW_CHARS} characters. */
  public record Gathered(String toolName, String result) {
    public static final int PREVIEW_CHARS = 600;
  }
}
