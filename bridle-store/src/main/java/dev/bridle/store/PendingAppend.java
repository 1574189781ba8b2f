package dev.bridle.store;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.util.Objects;

/**
 * An append on its way to the database, encoded in the caller's thread (so that an event that
 * cannot be encoded fails there, before it joins a batch).
 *
 * @param fenceEpoch the lease epoch the run must still be at for the append to be stored (checked
 *     in the append's transaction, under the run's row lock), or {@link #UNFENCED}
 */
record PendingAppend(
    RunId runId,
    long expectedLastSeq,
    long fenceEpoch,
    RunEvent event,
    String type,
    int version,
    long atNanos,
    String body) {

  /** The {@link #fenceEpoch} of an append that holds no lease; leases start at epoch 1. */
  static final long UNFENCED = 0;

  static PendingAppend of(RunId runId, long expectedLastSeq, RunEvent event) {
    return of(runId, expectedLastSeq, UNFENCED, event);
  }

  /** An append that is stored only if the run is still at lease epoch {@code fenceEpoch}. */
  static PendingAppend fenced(RunId runId, long expectedLastSeq, long fenceEpoch, RunEvent event) {
    if (fenceEpoch < 1) {
      throw new IllegalArgumentException("fence epoch must be >= 1, but was " + fenceEpoch);
    }
    return of(runId, expectedLastSeq, fenceEpoch, event);
  }

  private static PendingAppend of(
      RunId runId, long expectedLastSeq, long fenceEpoch, RunEvent event) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(event, "event");
    if (event.at() == null) {
      throw new IllegalArgumentException(
          "event " + event.getClass().getSimpleName() + " of run " + runId + " has no time (at)");
    }
    return new PendingAppend(
        runId,
        expectedLastSeq,
        fenceEpoch,
        event,
        event.getClass().getSimpleName(),
        EventCodec.version(event.getClass()),
        Times.toNanos(event.at()),
        StoredText.json(EventCodec.encode(event)));
  }

  boolean isFenced() {
    return fenceEpoch != UNFENCED;
  }

  /** What this append is, for messages. */
  String describe() {
    return "appending event #" + (expectedLastSeq + 1) + " (" + type + ") to run " + runId;
  }
}
