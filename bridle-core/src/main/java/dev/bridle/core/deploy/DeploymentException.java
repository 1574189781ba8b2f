package dev.bridle.core.deploy;

import dev.bridle.core.BridleException;
import java.util.Objects;

/** Evidence or a mode change that cannot be recorded, with why; {@link #reason()} maps it. */
public final class DeploymentException extends BridleException {

  private static final long serialVersionUID = 1L;

  /** Why it was refused, grouped by what the caller can do. */
  public enum Reason {
    /** No run has that id, or it has not started. */
    NOT_FOUND,
    /** The input is wrong (a rating out of range, a decision that is not JSON): fix it. */
    INVALID,
    /** The run is not in a state that allows it (still going, it executed effects). */
    WRONG_STATE,
    /** It was recorded before and evidence is recorded once. */
    ALREADY_RECORDED,
    /** The evidence does not support the mode asked for; only a forced change may go there. */
    NOT_READY
  }

  private final Reason reason;

  public DeploymentException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
