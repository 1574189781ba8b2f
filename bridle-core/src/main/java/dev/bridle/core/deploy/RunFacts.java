package dev.bridle.core.deploy;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.tool.Effect;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the deployment evidence needs from one run, projected from its journal: the calls it would
 * have made in shadow mode, the calls with an effect it executed, the humans' approval decisions,
 * its outcome and its cost.
 *
 * @param shadowed {@code ToolCallShadowed}: what the agent would have done, in order
 * @param executed {@code ToolCallStarted} of calls with an effect (not READ), in order
 * @param approvals humans' decisions on approval requests, in order; decisions on calls in doubt
 *     and those the approval timeout took ({@value #TIMEOUT_APPROVER}) are left out: they say
 *     nothing about whether the agent proposed the right thing
 * @param tokens input plus output tokens of its model calls
 * @param costUsd what its priced model calls cost
 * @param unpricedModelCalls model calls without a price (their cost is unknown, not zero)
 */
public record RunFacts(
    RunId runId,
    String workflow,
    String version,
    String user,
    RunStatus status,
    Instant createdAt,
    List<Call> shadowed,
    List<Call> executed,
    List<ApprovalOutcome> approvals,
    long tokens,
    BigDecimal costUsd,
    int unpricedModelCalls) {

  /** The approver recorded when an approval timed out and the workflow's default applied. */
  public static final String TIMEOUT_APPROVER = "system:timeout";

  public RunFacts {
    Objects.requireNonNull(runId, "runId");
    workflow = workflow == null ? "" : workflow;
    version = version == null ? "" : version;
    user = user == null ? "" : user;
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    shadowed = List.copyOf(shadowed);
    executed = List.copyOf(executed);
    approvals = List.copyOf(approvals);
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /**
   * A call of the agent's.
   *
   * @param arguments normalised JSON (keys sorted, numbers by value), as {@link HumanCall} keeps
   *     them, so that the two compare by text
   */
  public record Call(String callId, String tool, Effect effect, String arguments) {
    public Call {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(effect, "effect");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /** A human's decision on an approval request. */
  public record ApprovalOutcome(
      RunId runId,
      String callId,
      String tool,
      RunEvent.Decision decision,
      String approver,
      Instant at) {
    public ApprovalOutcome {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(approver, "approver");
      Objects.requireNonNull(at, "at");
    }

    /** Whether the human took the agent's call as it was. */
    public boolean approvedAsProposed() {
      return decision == RunEvent.Decision.APPROVE;
    }
  }

  /** The facts of the run {@code summary} indexes, from its journal {@code entries}. */
  public static RunFacts of(RunSummary summary, List<JournalEntry> entries) {
    List<Call> shadowed = new ArrayList<>();
    List<Call> executed = new ArrayList<>();
    List<ApprovalOutcome> approvals = new ArrayList<>();
    Map<String, String> requested = new HashMap<>();
    BigDecimal cost = BigDecimal.ZERO;
    int unpriced = 0;
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case RunEvent.ToolCallShadowed e ->
            shadowed.add(new Call(e.callId(), e.toolName(), e.effect(), normalised(e.arguments())));
        case RunEvent.ToolCallStarted e -> {
          if (e.effect() != Effect.READ) {
            executed.add(new Call(e.callId(), e.toolName(), e.effect(), normalised(e.arguments())));
          }
        }
        case RunEvent.ApprovalRequested e -> requested.put(e.callId(), e.toolName());
        // a decision on a call in doubt says what happened, not whether the agent was right
        case RunEvent.ToolCallInDoubt e -> requested.remove(e.callId());
        case RunEvent.ApprovalDecided e -> {
          String tool = requested.get(e.callId());
          if (tool != null && !TIMEOUT_APPROVER.equals(e.approver())) {
            approvals.add(
                new ApprovalOutcome(
                    summary.runId(), e.callId(), tool, e.decision(), e.approver(), e.at()));
          }
        }
        case RunEvent.ModelResponded e -> {
          if (e.costUsd() == null) {
            unpriced++;
          } else {
            cost = cost.add(e.costUsd());
          }
        }
        default -> {}
      }
    }
    return new RunFacts(
        summary.runId(),
        summary.workflow(),
        summary.workflowVersion(),
        summary.user(),
        summary.status(),
        summary.createdAt(),
        shadowed,
        executed,
        approvals,
        summary.usage().totalTokens(),
        cost,
        unpriced);
  }

  /** Arguments as the journal holds them, normalised; text that is not JSON stays as it is. */
  private static String normalised(String arguments) {
    return CanonicalJson.ofText(arguments).orElse(arguments == null ? "" : arguments);
  }
}
