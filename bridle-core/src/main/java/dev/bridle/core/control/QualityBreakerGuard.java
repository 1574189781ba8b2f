package dev.bridle.core.control;

import dev.bridle.core.guard.Guard;
import dev.bridle.core.guard.GuardResult;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import java.util.Set;

/**
 * The {@link QualityBreaker} as an input guard: while the breaker of the task's workflow is open,
 * the task escalates to a human with the workflow's message; otherwise it passes. Escalating at the
 * input stage is exactly what the fallback queue needs: the run loop records the task, the trip and
 * {@code RunFailed(ESCALATED)}, and never asks the model. A store that cannot be read makes the
 * guard throw, and the chain fails closed.
 */
final class QualityBreakerGuard implements Guard {

  private final QualityBreaker breaker;

  QualityBreakerGuard(QualityBreaker breaker) {
    this.breaker = breaker;
  }

  @Override
  public String name() {
    return QualityBreaker.GUARD_NAME;
  }

  @Override
  public Set<GuardStage> stages() {
    return Set.of(GuardStage.INPUT);
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    return breaker
        .admit(subject.workflow())
        .<GuardResult>map(diversion -> GuardResult.escalate(diversion.message()))
        .orElseGet(GuardResult::pass);
  }
}
