package dev.bridle.examples.expense;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bridle.core.guard.Guard;
import dev.bridle.core.guard.GuardResult;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * "Above the threshold, a manager approves": a {@link GuardStage#TOOL_ARGUMENTS} guard that hands
 * every {@code approve_expense} call whose {@code amount} is above the written policy's approval
 * threshold to a human. The run loop turns its {@link GuardResult.Escalate} into an approval
 * request (rule {@code guard:approval-threshold}), so the run suspends until a manager approves or
 * rejects the call in the approvals inbox, exactly as for a policy rule that asks.
 *
 * <p>Why a guard: a policy rule matches a tool, a resource and a principal, not an argument's
 * value, and an argument constraint ({@code bounds}) can only deny. The threshold reads the {@code
 * amount} argument; {@code approve_expense} refuses any amount that is not the report's total, so a
 * model cannot slip under the threshold by understating it. Arguments it cannot read fail closed
 * (blocked). Thread-safe.
 */
public final class ApprovalThresholdGuard implements Guard {

  /** The guard's name in trips and approval reasons. */
  public static final String NAME = "approval-threshold";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final BigDecimal threshold;

  private ApprovalThresholdGuard(BigDecimal threshold) {
    this.threshold = threshold;
  }

  /** A guard that asks a manager for approvals above {@code threshold} (EUR). */
  public static ApprovalThresholdGuard of(BigDecimal threshold) {
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.signum() < 0) {
      throw new IllegalArgumentException(
          "the approval threshold must not be negative, but was " + threshold.toPlainString());
    }
    return new ApprovalThresholdGuard(threshold);
  }

  /** A guard with the approval threshold of the written policy (section 1). */
  public static ApprovalThresholdGuard from(ExpensePolicy policy) {
    return of(policy.approvalThreshold());
  }

  public BigDecimal threshold() {
    return threshold;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<GuardStage> stages() {
    return Set.of(GuardStage.TOOL_ARGUMENTS);
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    if (!subject.toolName().orElse("").equals(ExpenseApprovalTools.APPROVE)) {
      return GuardResult.pass();
    }
    JsonNode amount;
    try {
      amount = JSON.readTree(subject.text()).path("amount");
    } catch (JsonProcessingException e) {
      return GuardResult.block(
          "the arguments of " + ExpenseApprovalTools.APPROVE + " are not JSON; not run");
    }
    if (!amount.isNumber()) {
      return GuardResult.block(
          "the arguments of "
              + ExpenseApprovalTools.APPROVE
              + " have no numeric 'amount', so the approval threshold cannot be checked; not run");
    }
    BigDecimal value = amount.decimalValue();
    if (value.compareTo(threshold) <= 0) {
      return GuardResult.pass();
    }
    return GuardResult.escalate(
        "approving "
            + Money.eur(value)
            + " is above the approval threshold of "
            + Money.eur(threshold)
            + " (section 2 of the expense policy): a manager decides");
  }
}
