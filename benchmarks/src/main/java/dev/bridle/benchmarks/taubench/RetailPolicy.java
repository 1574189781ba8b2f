package dev.bridle.benchmarks.taubench;

import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Tool;
import java.util.List;

/**
 * The retail agent's policy. The store's policy wiki says: "before taking consequential actions
 * that update the database (cancel, modify, return, exchange), you have to list the action detail
 * and obtain explicit user confirmation (yes) to proceed". In τ-bench the model is trusted to ask;
 * here the runtime asks: every tool that changes the store has an {@code ask} rule, so the call
 * waits in the approvals inbox until a person says yes, whatever the model does. Tools that change
 * nothing are allowed. Anything else (a tool this policy does not know) is denied by default.
 */
final class RetailPolicy {

  /** Rule ids: {@code read:<tool>} allows, {@code confirm:<tool>} asks. */
  static final String READ_PREFIX = "read:";

  static final String CONFIRM_PREFIX = "confirm:";

  private RetailPolicy() {}

  /** One rule per tool, by its declared effect: READ allowed, WRITE asked; nothing else allowed. */
  static Policy of(List<Tool<?>> tools) {
    Policy.Builder policy = Policy.builder().mode(Mode.SUPERVISED);
    for (Tool<?> tool : tools) {
      switch (tool.effect()) {
        case READ -> policy.rule(Rule.allow(tool.name()).withId(READ_PREFIX + tool.name()));
        case WRITE -> policy.rule(Rule.ask(tool.name()).withId(CONFIRM_PREFIX + tool.name()));
        case PROPOSE, EXTERNAL, DESTRUCTIVE ->
            throw new IllegalStateException(
                "the retail policy has no rule for "
                    + tool.effect()
                    + " tools, but "
                    + tool.name()
                    + " is one");
      }
    }
    return policy.build();
  }
}
