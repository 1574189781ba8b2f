package dev.bridle.core.deploy;

import static dev.bridle.core.deploy.Facts.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunEvent.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The most recent streak of approvals without an edit. */
class ApprovalStreakTest {

  @Test
  void noDecisionsIsAStreakOfZero() {
    ApprovalStreak streak = ApprovalStreak.of(List.of(run("r1").build()));

    assertThat(streak).isEqualTo(ApprovalStreak.NONE);
    assertThat(streak.decisions()).isZero();
  }

  @Test
  void onlyApprovalsMakeAStreakOfAllOfThem() {
    Facts.Run r = run("r1");
    for (int i = 0; i < 7; i++) {
      r.approval("set_bio", Decision.APPROVE, "alice", i);
    }

    ApprovalStreak streak = ApprovalStreak.of(List.of(r.build()));

    assertThat(streak.current()).isEqualTo(7);
    assertThat(streak.approved()).isEqualTo(7);
    assertThat(streak.brokenBy()).isEmpty();
  }

  @Test
  void anEditBreaksTheStreakAndOnlyLaterApprovalsCount() {
    Facts.Run r =
        run("r1")
            .approval("set_bio", Decision.APPROVE, "alice", 1)
            .approval("set_bio", Decision.APPROVE, "alice", 2)
            .approval("set_bio", Decision.EDIT, "bob", 3)
            .approval("set_bio", Decision.APPROVE, "alice", 4)
            .approval("set_bio", Decision.APPROVE, "alice", 5);

    ApprovalStreak streak = ApprovalStreak.of(List.of(r.build()));

    assertThat(streak.current()).isEqualTo(2);
    assertThat(streak.approved()).isEqualTo(4);
    assertThat(streak.edited()).isEqualTo(1);
    assertThat(streak.brokenBy())
        .hasValueSatisfying(
            b -> {
              assertThat(b.decision()).isEqualTo(Decision.EDIT);
              assertThat(b.approver()).isEqualTo("bob");
              assertThat(b.at()).isEqualTo(Facts.at(3));
            });
  }

  @Test
  void theNewestDecisionBeingARejectionMeansAStreakOfZero() {
    Facts.Run r =
        run("r1")
            .approval("send_email", Decision.APPROVE, "alice", 1)
            .approval("send_email", Decision.REJECT, "alice", 2);

    ApprovalStreak streak = ApprovalStreak.of(List.of(r.build()));

    assertThat(streak.current()).isZero();
    assertThat(streak.rejected()).isEqualTo(1);
  }

  @Test
  void decisionsAcrossRunsAreOrderedByWhenTheyWereMadeNotByRun() {
    // run r1 was listed first, but its edit came after r2's approvals
    RunFacts r1 = run("r1").approval("set_bio", Decision.RESPOND, "alice", 10).build();
    RunFacts r2 =
        run("r2")
            .approval("set_bio", Decision.APPROVE, "alice", 1)
            .approval("set_bio", Decision.APPROVE, "alice", 2)
            .build();
    RunFacts r3 = run("r3").approval("set_bio", Decision.APPROVE, "carol", 11).build();

    ApprovalStreak streak = ApprovalStreak.of(List.of(r1, r2, r3));

    assertThat(streak.current()).isEqualTo(1);
    assertThat(streak.responded()).isEqualTo(1);
    assertThat(streak.brokenBy().orElseThrow().runId().value()).isEqualTo("r1");
  }
}
