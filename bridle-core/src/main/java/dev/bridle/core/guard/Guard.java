package dev.bridle.core.guard;

import java.util.Set;

/**
 * A check on one stage of a run (DESIGN §2, §3.3): it looks at a {@link GuardSubject} and returns a
 * {@link GuardResult}. Guards run in a {@link GuardChain}, before the effect they protect and never
 * in parallel with it.
 *
 * <p>Implementations must be thread-safe (one chain serves every run of a workflow), should be fast
 * (they run on every step), and must not put the sensitive values they found into reasons: reasons
 * are journaled. A guard that throws is treated as a {@link GuardResult.Block}: guards fail closed.
 */
public interface Guard {

  /** A short name unique within its chain, used in trips and messages, e.g. {@code pii}. */
  String name();

  /** The stages this guard looks at; the chain only calls it for these. */
  Set<GuardStage> stages();

  /** Checks one subject whose stage is in {@link #stages()}. */
  GuardResult check(GuardSubject subject);
}
