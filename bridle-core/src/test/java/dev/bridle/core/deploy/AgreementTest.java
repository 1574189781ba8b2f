package dev.bridle.core.deploy;

import static dev.bridle.core.deploy.Facts.decision;
import static dev.bridle.core.deploy.Facts.human;
import static dev.bridle.core.deploy.Facts.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bridle.core.deploy.Agreement.Tally;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agreement arithmetic of docs/deployment.md, case by case. */
class AgreementTest {

  private static Map<RunId, ShadowDecision> byRun(ShadowDecision... decisions) {
    Map<RunId, ShadowDecision> map = new java.util.HashMap<>();
    for (ShadowDecision d : decisions) {
      map.put(d.runId(), d);
    }
    return map;
  }

  @Test
  void noEvidenceIsNoComparison() {
    Agreement agreement = Agreement.of(List.of(), Map.of());

    assertThat(agreement.total()).isEqualTo(Tally.ZERO);
    assertThat(agreement.total().rate()).isZero();
    assertThat(agreement.byTool()).isEmpty();
    assertThat(agreement.shadowRunsCompared()).isZero();
  }

  @Test
  void theSameCallWithEqualArgumentsAgreesWhateverTheKeyOrderAndNumberSpelling() {
    RunFacts r1 = run("r1").shadowed("set_bio", "{\"lead\": \"L1\", \"score\": 1.0}").build();

    Agreement agreement =
        Agreement.of(
            List.of(r1),
            byRun(decision("r1", "1", human("set_bio", "{\"score\":1,\"lead\":\"L1\"}"))));

    assertThat(agreement.total()).isEqualTo(new Tally(1, 1));
    assertThat(agreement.byTool()).containsExactly(Map.entry("set_bio", new Tally(1, 1)));
    assertThat(agreement.shadowRunsCompared()).isEqualTo(1);
  }

  @Test
  void differentArgumentsAreTwoDisagreementsOneForEachSide() {
    RunFacts r1 = run("r1").shadowed("set_bio", "{\"lead\":\"L1\",\"bio\":\"baker\"}").build();

    Agreement agreement =
        Agreement.of(
            List.of(r1),
            byRun(decision("r1", "1", human("set_bio", "{\"lead\":\"L1\",\"bio\":\"Baker\"}"))));

    // |A ∪ H| = 2 (strings compare exactly), |A ∩ H| = 0
    assertThat(agreement.byTool()).containsExactly(Map.entry("set_bio", new Tally(0, 2)));
  }

  @Test
  void perToolItIsTheMultisetIntersectionOverTheUnion() {
    RunFacts r1 =
        run("r1")
            .shadowed("tag", "{\"t\":\"a\"}")
            .shadowed("tag", "{\"t\":\"a\"}")
            .shadowed("tag", "{\"t\":\"b\"}")
            .shadowed("send_email", "{\"to\":\"x@example.com\"}")
            .build();
    ShadowDecision humanDid =
        decision(
            "r1",
            "1",
            human("tag", "{\"t\":\"a\"}"),
            human("tag", "{\"t\":\"c\"}"),
            human("note", "{\"text\":\"called them\"}"));

    Agreement agreement = Agreement.of(List.of(r1), byRun(humanDid));

    // tag: A = {a, a, b}, H = {a, c}: ∩ = {a} (1), ∪ = {a, a, b, c} (4)
    assertThat(agreement.byTool())
        .containsEntry("tag", new Tally(1, 4))
        .containsEntry("send_email", new Tally(0, 1))
        .containsEntry("note", new Tally(0, 1));
    assertThat(agreement.shadow()).isEqualTo(new Tally(1, 6));
    assertThat(agreement.total().rate()).isCloseTo(1.0 / 6, within(1e-12));
  }

  @Test
  void nothingDoneOnBothSidesIsOneAgreementOfNoAction() {
    RunFacts quiet = run("r1").build();

    Agreement agreement = Agreement.of(List.of(quiet), byRun(decision("r1", "1")));

    assertThat(agreement.byTool()).containsExactly(Map.entry(Agreement.NO_ACTION, new Tally(1, 1)));
  }

  @Test
  void theHumanActingWhereTheAgentWouldNotIsADisagreementOfTheHumansTool() {
    RunFacts quiet = run("r1").build();

    Agreement agreement =
        Agreement.of(
            List.of(quiet), byRun(decision("r1", "1", human("refund", "{\"amount\":20}"))));

    assertThat(agreement.byTool()).containsExactly(Map.entry("refund", new Tally(0, 1)));
    assertThat(agreement.byTool()).doesNotContainKey(Agreement.NO_ACTION);
  }

  @Test
  void approvalsCountOnePerDecisionAndOnlyAnApprovalAsProposedAgrees() {
    RunFacts proposed =
        run("r1")
            .approval("set_bio", Decision.APPROVE, "alice", 1)
            .approval("set_bio", Decision.APPROVE, "alice", 2)
            .approval("set_bio", Decision.EDIT, "alice", 3)
            .approval("send_email", Decision.REJECT, "alice", 4)
            .approval("send_email", Decision.RESPOND, "alice", 5)
            .build();

    Agreement agreement = Agreement.of(List.of(proposed), Map.of());

    assertThat(agreement.approvals()).isEqualTo(new Tally(2, 5));
    assertThat(agreement.shadow()).isEqualTo(Tally.ZERO);
    assertThat(agreement.byTool())
        .containsEntry("set_bio", new Tally(2, 3))
        .containsEntry("send_email", new Tally(0, 2));
  }

  @Test
  void shadowAndApprovalTalliesAddUpPerToolAndInTotal() {
    RunFacts shadow = run("r1").shadowed("set_bio", "{\"b\":1}").build();
    RunFacts proposed = run("r2").approval("set_bio", Decision.EDIT, "alice", 1).build();

    Agreement agreement =
        Agreement.of(
            List.of(shadow, proposed), byRun(decision("r1", "1", human("set_bio", "{\"b\":1}"))));

    assertThat(agreement.byTool()).containsExactly(Map.entry("set_bio", new Tally(1, 2)));
    assertThat(agreement.total()).isEqualTo(new Tally(1, 2));
    assertThat(agreement.total().describe()).isEqualTo("1/2 (50.0%)");
  }

  @Test
  void shadowRunsThatEndedWithoutADecisionAreCountedAsAwaitingAndNotCompared() {
    RunFacts awaiting = run("r1").shadowed("set_bio", "{}").build();
    RunFacts running = run("r2").shadowed("set_bio", "{}").status(RunStatus.RUNNING).build();
    RunFacts decided = run("r3").shadowed("set_bio", "{}").build();

    Agreement agreement =
        Agreement.of(
            List.of(awaiting, running, decided),
            byRun(decision("r3", "1", human("set_bio", "{}")), decision("gone", "1")));

    assertThat(agreement.shadowRunsAwaitingDecision()).isEqualTo(1);
    assertThat(agreement.shadowRunsCompared()).isEqualTo(1);
    assertThat(agreement.total()).isEqualTo(new Tally(1, 1));
  }
}
