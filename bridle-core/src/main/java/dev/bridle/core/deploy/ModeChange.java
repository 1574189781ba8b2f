package dev.bridle.core.deploy;

import dev.bridle.core.policy.Mode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator changed a workflow's mode: who, when, why, from what, to what, whether it went
 * against the evidence ({@code forced}), and the evidence as it stood. The latest change of a
 * workflow overrides the mode its workflow file declares ({@link
 * DeploymentEvidence#effectivePolicy}). Changes are kept for good, numbered in the order they were
 * recorded.
 *
 * @param seq 1, 2, ... across all workflows, in the order recorded
 * @param from the mode before: the previous change's, else the workflow file's when the caller knew
 *     it; empty when neither was known
 * @param to the mode from now on
 * @param forced whether the evidence did not support {@code to} and the operator went ahead anyway
 * @param evidence the readiness as it stood, in one line (what it supported, what was missing)
 */
public record ModeChange(
    long seq,
    String workflow,
    Optional<Mode> from,
    Mode to,
    String by,
    String reason,
    boolean forced,
    String evidence,
    Instant at) {

  /** The longest reason. */
  public static final int MAX_REASON_CHARS = 1_000;

  /** The longest evidence line kept. */
  public static final int MAX_EVIDENCE_CHARS = 2_000;

  public ModeChange {
    Texts.workflow(workflow);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Texts.actor("by", by);
    requireReason(reason);
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(at, "at");
  }

  /**
   * A change to record.
   *
   * @param declared the mode the workflow file declares, when the caller knows it: the {@code from}
   *     of a first change
   */
  public record Request(
      String workflow,
      Mode to,
      Optional<Mode> declared,
      String by,
      String reason,
      boolean forced,
      String evidence,
      Instant at) {

    public Request {
      Texts.workflow(workflow);
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(declared, "declared");
      Texts.actor("by", by);
      requireReason(reason);
      evidence = Texts.cut(Objects.requireNonNull(evidence, "evidence"), MAX_EVIDENCE_CHARS);
      Objects.requireNonNull(at, "at");
    }

    /** The change this request makes after {@code previous} (the latest change, if any). */
    public ModeChange after(long seq, Optional<ModeChange> previous) {
      Optional<Mode> from = previous.map(ModeChange::to).or(() -> declared);
      return new ModeChange(seq, workflow, from, to, by, reason, forced, evidence, at);
    }

    /** Whether the mode is {@code to} already, given the latest change. */
    public boolean changesNothing(Optional<ModeChange> previous) {
      return previous.map(ModeChange::to).or(() -> declared).map(m -> m == to).orElse(false);
    }
  }

  /** {@code reason} if it says something and is at most {@value #MAX_REASON_CHARS} characters. */
  public static String requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "a mode change needs a reason (who asked, which evidence, which ticket), but it was blank");
    }
    if (reason.length() > MAX_REASON_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "a mode change's reason must be at most "
              + MAX_REASON_CHARS
              + " characters, but was "
              + reason.length());
    }
    return reason;
  }

  /** {@code SHADOW → PROPOSE} (or {@code ? → PROPOSE} when the mode before was not known). */
  public String describe() {
    return from.map(Mode::name).orElse("?") + " → " + to.name();
  }
}
