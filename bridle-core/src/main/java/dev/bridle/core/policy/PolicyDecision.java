package dev.bridle.core.policy;

import java.util.Objects;

/**
 * Policy's answer for one call, journaled as {@code PolicyDecided}.
 *
 * @param rule the rule or check that decided, e.g. {@code rules[2]}, {@code
 *     constraint:writable-fields}, {@code mode:PROPOSE}, {@code provenance}, {@code default-deny}
 * @param reason one sentence a person (and the model, for a denial) can read
 * @param policyVersion the version of the policy that decided
 */
public record PolicyDecision(Verdict verdict, String rule, String reason, String policyVersion) {
  public PolicyDecision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(policyVersion, "policyVersion");
  }
}
