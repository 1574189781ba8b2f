package dev.bridle.core.approval;

import dev.bridle.core.BridleException;

/** A decision that cannot be taken, with why; {@link #reason()} lets a CLI or API map it. */
public final class ApprovalException extends BridleException {

  /** Why a decision was refused. */
  public enum Reason {
    /** No item has that id. */
    NOT_FOUND,
    /** Someone (or the timeout) decided it already; it runs once. */
    ALREADY_DECIDED,
    /** The approver is the requester and the tool needs four eyes. */
    FOUR_EYES,
    /** Edited arguments do not validate, or policy refuses them. */
    INVALID_EDIT,
    /** The decision does not fit the item (an edit of a call in doubt, a response without text). */
    INVALID_DECISION,
    /** The workflow the run belongs to is not loaded here. */
    WORKFLOW_UNKNOWN
  }

  private final Reason reason;

  public ApprovalException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
