package dev.bridle.core.workflow;

import dev.bridle.core.cost.SpendStore;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.limits.RateLimiter;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the application supplies when it turns a workflow file into an agent ({@link
 * Workflows#agent(WorkflowDefinition, dev.bridle.core.model.ChatModel, ClassLoader,
 * WorkflowServices)}): the code a file can only name, and the stores whose state must outlive one
 * agent.
 *
 * <pre>{@code
 * WorkflowServices services =
 *     WorkflowServices.none()
 *         .withGuardHooks(hooks)               // classifiers and id lookups the guards name
 *         .withSpendStore(durableSpendStore)   // required when the file sets budgets
 *         .withRateLimiter(sharedLimiter);     // required when the file sets rate limits
 * }</pre>
 *
 * @param guardHooks the classifiers and id lookups the file's guards refer to by name
 * @param spendStore where budgets keep what was spent; a per-user monthly budget only holds if this
 *     outlives the process, so there is no default
 * @param rateLimiter the token buckets behind the file's rate limits; a limit only holds across
 *     runs and nodes if they share it, so there is no default
 * @param clock the clock of budget periods and of the agent
 * @param toolSupply how a named provider's tools are obtained: {@link ToolProvider#tools()} in
 *     production; an evaluation supplies {@link ToolProvider#isolatedTools} instead
 */
public record WorkflowServices(
    GuardHooks guardHooks,
    Optional<SpendStore> spendStore,
    Optional<RateLimiter> rateLimiter,
    Clock clock,
    ToolSupply toolSupply) {

  /** Obtains the tools of one provider a workflow file names. */
  @FunctionalInterface
  public interface ToolSupply {

    /** The production supply: each provider's {@link ToolProvider#tools()}. */
    ToolSupply PRODUCTION = ToolProvider::tools;

    List<Tool<?>> tools(ToolProvider provider);
  }

  public WorkflowServices {
    Objects.requireNonNull(guardHooks, "guardHooks");
    Objects.requireNonNull(spendStore, "spendStore");
    Objects.requireNonNull(rateLimiter, "rateLimiter");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(toolSupply, "toolSupply");
  }

  /** No hooks, no spend store, no rate limiter, the system clock (UTC). */
  public static WorkflowServices none() {
    return new WorkflowServices(
        GuardHooks.none(),
        Optional.empty(),
        Optional.empty(),
        Clock.systemUTC(),
        ToolSupply.PRODUCTION);
  }

  public WorkflowServices withGuardHooks(GuardHooks hooks) {
    return new WorkflowServices(hooks, spendStore, rateLimiter, clock, toolSupply);
  }

  public WorkflowServices withSpendStore(SpendStore store) {
    return new WorkflowServices(guardHooks, Optional.of(store), rateLimiter, clock, toolSupply);
  }

  public WorkflowServices withRateLimiter(RateLimiter limiter) {
    return new WorkflowServices(guardHooks, spendStore, Optional.of(limiter), clock, toolSupply);
  }

  public WorkflowServices withClock(Clock newClock) {
    return new WorkflowServices(guardHooks, spendStore, rateLimiter, newClock, toolSupply);
  }

  /** Tools from {@code supply} instead of each provider's {@link ToolProvider#tools()}. */
  public WorkflowServices withToolSupply(ToolSupply supply) {
    return new WorkflowServices(guardHooks, spendStore, rateLimiter, clock, supply);
  }
}
