package dev.bridle.core.journal;

import dev.bridle.core.BridleException;

/** Another writer appended to the run first: this writer must stop (it lost the run). */
public final class JournalConflictException extends BridleException {
  private static final long serialVersionUID = 1L;

  public JournalConflictException(RunId runId, long expectedLastSeq, long actualLastSeq) {
    super(
        "run "
            + runId
            + ": expected its last event to be #"
            + expectedLastSeq
            + " but it is #"
            + actualLastSeq
            + "; another writer owns this run");
  }
}
