package dev.bridle.store;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.util.List;
import java.util.Objects;

/**
 * An append of one or more events of one run on its way to the database, all or none, encoded in
 * the caller's thread (so that an event that cannot be encoded fails there, before it joins a
 * batch).
 *
 * @param expectedLastSeq the run's last sequence number as the writer knows it; the events become
 *     numbers {@code expectedLastSeq + 1 ...}
 * @param fenceEpoch the lease epoch the run must still be at for the append to be stored (checked
 *     in the append's transaction, under the run's row lock), or {@link #UNFENCED}
 * @param events in order; empty for an append that only checks {@code expectedLastSeq}
 */
record PendingAppend(
    RunId runId, long expectedLastSeq, long fenceEpoch, List<EncodedEvent> events) {

  /** The {@link #fenceEpoch} of an append that holds no lease; leases start at epoch 1. */
  static final long UNFENCED = 0;

  /** An event with the columns the journal stores besides the run and the sequence number. */
  record EncodedEvent(RunEvent event, String type, int version, long atNanos, String body) {}

  static PendingAppend of(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    return of(runId, expectedLastSeq, UNFENCED, events);
  }

  /** An append that is stored only if the run is still at lease epoch {@code fenceEpoch}. */
  static PendingAppend fenced(
      RunId runId, long expectedLastSeq, long fenceEpoch, List<RunEvent> events) {
    if (fenceEpoch < 1) {
      throw new IllegalArgumentException("fence epoch must be >= 1, but was " + fenceEpoch);
    }
    return of(runId, expectedLastSeq, fenceEpoch, events);
  }

  private static PendingAppend of(
      RunId runId, long expectedLastSeq, long fenceEpoch, List<RunEvent> events) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(events, "events");
    EncodedEvent[] encoded = new EncodedEvent[events.size()];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = encode(runId, events.get(i));
    }
    return new PendingAppend(runId, expectedLastSeq, fenceEpoch, List.of(encoded));
  }

  private static EncodedEvent encode(RunId runId, RunEvent event) {
    Objects.requireNonNull(event, "event");
    if (event.at() == null) {
      throw new IllegalArgumentException(
          "event " + event.getClass().getSimpleName() + " of run " + runId + " has no time (at)");
    }
    return new EncodedEvent(
        event,
        event.getClass().getSimpleName(),
        EventCodec.version(event.getClass()),
        Times.toNanos(event.at()),
        StoredText.json(EventCodec.encode(event)));
  }

  boolean isFenced() {
    return fenceEpoch != UNFENCED;
  }

  /** The sequence number the last event gets (the expected one if there are no events). */
  long lastSeq() {
    return expectedLastSeq + events.size();
  }

  /**
   * What this append is, for messages: built only when one is reported, never on the way of an
   * append that succeeds.
   */
  String describe() {
    return switch (events.size()) {
      case 0 -> "appending no events after event #" + expectedLastSeq + " to run " + runId;
      case 1 ->
          "appending event #"
              + (expectedLastSeq + 1)
              + " ("
              + events.get(0).type()
              + ") to run "
              + runId;
      default ->
          "appending events #"
              + (expectedLastSeq + 1)
              + " to #"
              + lastSeq()
              + " ("
              + String.join(", ", events.stream().map(EncodedEvent::type).toList())
              + ") to run "
              + runId;
    };
  }
}
