package dev.bridle.core.policy;

/** What policy says about one tool call. */
public enum Verdict {
  /** Run it. */
  ALLOW,
  /** Do not run it; the model is told why. */
  DENY,
  /** A human decides first; the run suspends. */
  ASK,
  /** Shadow mode: record the call as if it ran, execute nothing. */
  SHADOW
}
