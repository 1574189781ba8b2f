package dev.bridle.core.run;

import dev.bridle.core.BridleException;
import dev.bridle.core.journal.RunId;

/**
 * A run was asked to stop before its next model call or tool call (its node is shutting down, or
 * lost the run's lease). Nothing was recorded as its end: the run stays resumable, by this node or
 * another.
 */
public final class RunInterruptedException extends BridleException {
  private static final long serialVersionUID = 1L;

  public RunInterruptedException(RunId runId) {
    super("run " + runId + " was stopped before its next step; it can be resumed");
  }
}
