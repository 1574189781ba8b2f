package dev.bridle.core.run;

import dev.bridle.core.BridleException;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import java.time.Clock;

/**
 * Ends a run that waits (killed, suspended for a human, queued, or interrupted) without finishing
 * it, as an operator's decision: {@code RunCancelled} is appended and the run is terminal. Its
 * changes stay; revert them separately if they should not.
 */
public final class Cancellation {

  private Cancellation() {}

  /**
   * @throws BridleException when the run does not exist or has ended
   * @throws JournalConflictException when another writer appended at the same moment (the run is
   *     being worked on: stop it with a kill switch first)
   */
  public static RunEvent.RunCancelled cancel(
      RunStore store, RunId runId, String by, String reason, Clock clock) {
    RunSummary run = store.find(runId).orElseThrow(() -> new BridleException("no run " + runId));
    if (run.status().isTerminal()) {
      throw new BridleException(
          "run " + runId + " has ended (" + run.status() + "); there is nothing to cancel");
    }
    // A RUNNING run may be held by a live worker: the conditional append refuses if the worker
    // appended first, and the worker's next append fails once this one is in.
    RunEvent.RunCancelled cancelled =
        new RunEvent.RunCancelled(clock.instant(), by, reason, run.steps(), run.usage());
    store.append(runId, run.lastSeq(), cancelled);
    return cancelled;
  }
}
