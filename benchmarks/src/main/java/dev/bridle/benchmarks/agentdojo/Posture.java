package dev.bridle.benchmarks.agentdojo;

import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import java.util.Locale;

/**
 * How much the operator lets the agent do without a human. The rules and constraints of an app's
 * policy are the same in every posture; the mode, the max-unapproved-effect and what provenance
 * does with a tainted value change.
 */
enum Posture {
  /**
   * Where a careful deployment starts: writes run, every effect that cannot be taken back ({@link
   * Effect#EXTERNAL} and above) waits for a human.
   */
  SUPERVISED(Mode.SUPERVISED, Effect.WRITE, Verdict.ASK),
  /**
   * Effects up to {@link Effect#EXTERNAL} run unasked; a human sees only what a rule, provenance or
   * the destructive class flags.
   */
  AUTONOMOUS(Mode.AUTONOMOUS, Effect.EXTERNAL, Verdict.ASK),
  /**
   * As {@link #AUTONOMOUS}, but a sensitive value that only untrusted content supplied is denied
   * instead of asked: the setting for a workflow whose approvers cannot judge such values.
   */
  AUTONOMOUS_DENY_TAINTED(Mode.AUTONOMOUS, Effect.EXTERNAL, Verdict.DENY);

  private final Mode mode;
  private final Effect maxUnapprovedEffect;
  private final Verdict onTainted;

  Posture(Mode mode, Effect maxUnapprovedEffect, Verdict onTainted) {
    this.mode = mode;
    this.maxUnapprovedEffect = maxUnapprovedEffect;
    this.onTainted = onTainted;
  }

  Mode mode() {
    return mode;
  }

  Effect maxUnapprovedEffect() {
    return maxUnapprovedEffect;
  }

  /** What provenance does with a sensitive value only untrusted content supplied. */
  Verdict onTainted() {
    return onTainted;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
