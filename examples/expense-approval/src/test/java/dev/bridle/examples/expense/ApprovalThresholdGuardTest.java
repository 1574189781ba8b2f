package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.guard.ChainResult;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardResult;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Above the written policy's threshold, an approval goes to a manager. */
class ApprovalThresholdGuardTest {

  private final ApprovalThresholdGuard guard = ApprovalThresholdGuard.from(ExpensePolicy.bundled());

  @Test
  void itTakesTheThresholdFromTheWrittenPolicyAndLooksAtToolArguments() {
    assertThat(guard.threshold()).isEqualByComparingTo("500.00");
    assertThat(guard.name()).isEqualTo("approval-threshold");
    assertThat(guard.stages()).containsExactly(GuardStage.TOOL_ARGUMENTS);
  }

  @Test
  void approvalsUpToTheThresholdPassAndAboveItEscalate() {
    assertThat(guard.check(approval("388.0"))).isEqualTo(GuardResult.pass());
    assertThat(guard.check(approval("500.00")))
        .as("at the threshold")
        .isEqualTo(GuardResult.pass());
    assertThat(guard.check(approval("500.01")))
        .isEqualTo(
            GuardResult.escalate(
                "approving EUR 500.01 is above the approval threshold of EUR 500.00 (section 2"
                    + " of the expense policy): a manager decides"));
    assertThat(guard.check(approval("1133.0"))).isInstanceOf(GuardResult.Escalate.class);
  }

  @Test
  void otherToolsPassWhateverTheirArguments() {
    assertThat(
            guard.check(
                GuardSubject.toolArguments(
                    "expense-approval",
                    "reject_expense",
                    "{\"amount\":9999,\"report_id\":\"E-2011\"}")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void argumentsItCannotReadFailClosed() {
    assertThat(
            guard.check(
                GuardSubject.toolArguments(
                    "expense-approval", "approve_expense", "{\"amount\":\"lots\"}")))
        .isInstanceOf(GuardResult.Block.class);
    assertThat(guard.check(GuardSubject.toolArguments("expense-approval", "approve_expense", "{")))
        .isInstanceOf(GuardResult.Block.class);
  }

  @Test
  void inAChainTheEscalationNamesTheGuard() {
    ChainResult result = GuardChain.builder().add(guard).build().check(approval("998.2"));

    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            ChainResult.Outcome.Escalated.class,
            escalated -> assertThat(escalated.guard()).isEqualTo("approval-threshold"));
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> ApprovalThresholdGuard.of(new BigDecimal("-1")))
        .hasMessage("the approval threshold must not be negative, but was -1");
  }

  private static GuardSubject approval(String amount) {
    return GuardSubject.toolArguments(
        "expense-approval",
        "approve_expense",
        "{\"amount\":" + amount + ",\"note\":\"ok\",\"report_id\":\"E-2011\"}");
  }
}
