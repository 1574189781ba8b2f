package dev.bridle.core.policy;

/**
 * The deployment sequence of a workflow (DESIGN §4), from most to least supervised. See decision
 * 0005 for what each mode approves.
 */
public enum Mode {
  /** Runs, executes no call with an effect, and records what it would have done. */
  SHADOW,
  /** Every call that writes or reaches outside waits for a human. */
  PROPOSE,
  /**
   * Internal writes run (audited, revertible when the tool records an inverse); effects that reach
   * outside wait for a human.
   */
  SUPERVISED,
  /**
   * Effects up to the workflow's {@code max-unapproved-effect} run and are announced; reversible
   * ones can be undone within the undo window.
   */
  AUTONOMOUS
}
