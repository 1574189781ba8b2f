package dev.bridle.store;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.util.Objects;

/**
 * An append on its way to the database, encoded in the caller's thread (so that an event that
 * cannot be encoded fails there, before it joins a batch).
 */
record PendingAppend(
    RunId runId,
    long expectedLastSeq,
    RunEvent event,
    String type,
    int version,
    long atNanos,
    String body) {

  static PendingAppend of(RunId runId, long expectedLastSeq, RunEvent event) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(event, "event");
    if (event.at() == null) {
      throw new IllegalArgumentException(
          "event " + event.getClass().getSimpleName() + " of run " + runId + " has no time (at)");
    }
    return new PendingAppend(
        runId,
        expectedLastSeq,
        event,
        event.getClass().getSimpleName(),
        EventCodec.version(event.getClass()),
        Times.toNanos(event.at()),
        StoredText.json(EventCodec.encode(event)));
  }

  /** What this append is, for messages. */
  String describe() {
    return "appending event #" + (expectedLastSeq + 1) + " (" + type + ") to run " + runId;
  }
}
