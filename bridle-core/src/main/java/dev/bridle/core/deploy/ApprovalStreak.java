package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunEvent;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Humans' approval decisions on a workflow's proposed calls, and the most recent streak of
 * approvals without an edit: the decisions are ordered by when they were made, and the streak
 * counts the APPROVEs from the newest backwards up to the first EDIT, REJECT or RESPOND. Decisions
 * the timeout took and decisions on calls in doubt are not in {@link RunFacts#approvals()}, so they
 * neither extend nor break it.
 *
 * @param current the streak: consecutive approvals as proposed, counted from the newest decision
 * @param approved every APPROVE
 * @param edited every EDIT
 * @param rejected every REJECT
 * @param responded every RESPOND
 * @param brokenBy the newest decision that was not an approval: what ended the streak before it
 */
public record ApprovalStreak(
    int current,
    int approved,
    int edited,
    int rejected,
    int responded,
    Optional<RunFacts.ApprovalOutcome> brokenBy) {

  public static final ApprovalStreak NONE = new ApprovalStreak(0, 0, 0, 0, 0, Optional.empty());

  /** Oldest first; ties by run and call, so that the order does not depend on the scan. */
  private static final Comparator<RunFacts.ApprovalOutcome> CHRONOLOGICAL =
      Comparator.comparing(RunFacts.ApprovalOutcome::at)
          .thenComparing(o -> o.runId().value())
          .thenComparing(RunFacts.ApprovalOutcome::callId);

  public ApprovalStreak {
    Objects.requireNonNull(brokenBy, "brokenBy");
  }

  /** Every decision counted. */
  public int decisions() {
    return approved + edited + rejected + responded;
  }

  /** The streak of {@code runs}' approval decisions. */
  public static ApprovalStreak of(Collection<RunFacts> runs) {
    List<RunFacts.ApprovalOutcome> outcomes =
        runs.stream().flatMap(run -> run.approvals().stream()).sorted(CHRONOLOGICAL).toList();
    int approved = 0;
    int edited = 0;
    int rejected = 0;
    int responded = 0;
    for (RunFacts.ApprovalOutcome outcome : outcomes) {
      switch (outcome.decision()) {
        case APPROVE -> approved++;
        case EDIT -> edited++;
        case REJECT -> rejected++;
        case RESPOND -> responded++;
      }
    }
    int streak = 0;
    RunFacts.ApprovalOutcome breaker = null;
    for (RunFacts.ApprovalOutcome outcome : outcomes.reversed()) {
      if (outcome.decision() != RunEvent.Decision.APPROVE) {
        breaker = outcome;
        break;
      }
      streak++;
    }
    return new ApprovalStreak(
        streak, approved, edited, rejected, responded, Optional.ofNullable(breaker));
  }
}
