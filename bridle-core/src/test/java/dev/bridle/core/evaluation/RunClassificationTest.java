package dev.bridle.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.evaluation.RunClassification.Outcome;
import dev.bridle.core.guard.BlocklistGuard;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each class of outcome from a real run through the loop, journal and policy. */
class RunClassificationTest {

  private final CrmAgents crm = new CrmAgents();

  private CrmAgents.Run run(Policy policy, ScriptedChatModel model) {
    return CrmAgents.run(crm.agent(policy, model), crm, "Update lead L1");
  }

  private static ScriptedChatModel setBioThen(String answer) {
    return ScriptedChatModel.builder()
        .thenCall("get_lead", Map.of("leadId", "L1"))
        .thenCall("set_bio", Map.of("leadId", "L1", "bio", "new bio"))
        .thenAnswer(answer)
        .build();
  }

  @Test
  void aRunWaitingForAnApprovalNeedsApproval() {
    CrmAgents.Run run =
        run(
            Policy.builder().rule(Rule.allow("get_*")).rule(Rule.ask("set_bio")).build(),
            setBioThen("done"));

    assertThat(run.result().outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(run.classified().outcome()).isEqualTo(Outcome.NEEDS_APPROVAL);
    assertThat(crm.bios).containsEntry("L1", "old bio");
  }

  @Test
  void aCompletedRunAfterAPolicyDenialWithoutAWriteIsRefused() {
    CrmAgents.Run run =
        run(Policy.builder().rule(Rule.allow("get_*")).build(), setBioThen("Could not do it."));

    RunClassification classified = run.classified();
    assertThat(classified.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(classified.reason()).contains("policy denied set_bio");
  }

  @Test
  void aGuardBlockingTheTaskIsRefused() {
    GuardChain guards =
        GuardChain.builder()
            .add(BlocklistGuard.builder().domains(List.of("rival.example")).build())
            .build();
    CrmAgents.Run run =
        CrmAgents.run(
            crm.agent(
                CrmAgents.allowAll(),
                ScriptedChatModel.builder().thenAnswer("never").build(),
                guards,
                Limits.DEFAULT),
            crm,
            "New lead ann@rival.example");

    assertThat(run.result().outcome()).isInstanceOf(RunOutcome.Blocked.class);
    assertThat(run.classified().outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void anAnswerWithARefusalMarkerAndNoWriteIsRefused() {
    CrmAgents.Run run =
        run(
            CrmAgents.allowAll(),
            ScriptedChatModel.builder()
                .thenCall("get_lead", Map.of("leadId", "L1"))
                .thenAnswer("Sorry, I can\u2019t change a competitor's lead.")
                .build());

    assertThat(run.classified().outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(
            RunClassification.of(run.result().outcome(), run.events(), List.of("not allowed"))
                .outcome())
        .isEqualTo(Outcome.COMPLETED);
  }

  @Test
  void aQuestionWithoutAWriteIsAClarification() {
    CrmAgents.Run run =
        run(
            CrmAgents.allowAll(),
            ScriptedChatModel.builder().thenAnswer("Which lead do you mean, L1 or L2?").build());

    assertThat(run.classified().outcome()).isEqualTo(Outcome.CLARIFICATION);
  }

  @Test
  void aQuestionAfterAWriteIsStillCompleted() {
    CrmAgents.Run run = run(CrmAgents.allowAll(), setBioThen("Done. Anything else?"));

    assertThat(crm.bios).containsEntry("L1", "new bio");
    RunClassification classified = run.classified();
    assertThat(classified.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(classified.reason()).contains("set_bio");
  }

  @Test
  void aPlainAnswerIsCompleted() {
    assertThat(run(CrmAgents.allowAll(), setBioThen("Updated.")).classified().outcome())
        .isEqualTo(Outcome.COMPLETED);
  }

  @Test
  void theStepLimitAndALoopAreSafeStops() {
    CrmAgents.Run limited =
        CrmAgents.run(
            crm.agent(
                CrmAgents.allowAll(),
                setBioThen("never reached"),
                GuardChain.none(),
                new Limits(1, Duration.ofMinutes(1), 3)),
            crm,
            "Update lead L1");
    assertThat(limited.result().outcome()).isInstanceOf(RunOutcome.StepLimitReached.class);
    assertThat(limited.classified().outcome()).isEqualTo(Outcome.SAFE_STOP);

    ScriptedChatModel looping =
        ScriptedChatModel.builder()
            .thenCall("get_lead", Map.of("leadId", "L1"))
            .thenCall("get_lead", Map.of("leadId", "L1"))
            .thenCall("get_lead", Map.of("leadId", "L1"))
            .thenAnswer("never")
            .build();
    CrmAgents.Run loop = run(CrmAgents.allowAll(), looping);
    assertThat(loop.result().outcome()).isInstanceOf(RunOutcome.LoopDetected.class);
    assertThat(loop.classified().outcome()).isEqualTo(Outcome.SAFE_STOP);
  }

  @Test
  void aModelFailureIsFailed() {
    // the script ends after one call: the second model call has no turn to play
    CrmAgents.Run run =
        run(
            CrmAgents.allowAll(),
            ScriptedChatModel.builder().thenCall("get_lead", Map.of("leadId", "L1")).build());

    assertThat(run.result().outcome()).isInstanceOf(RunOutcome.Failed.class);
    assertThat(run.classified().outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void outcomesHaveTheNamesSuitesUse() {
    assertThat(Outcome.NEEDS_APPROVAL.key()).isEqualTo("needs-approval");
    assertThat(Outcome.fromKey("safe-stop")).contains(Outcome.SAFE_STOP);
    assertThat(Outcome.fromKey("done")).isEmpty();
  }
}
