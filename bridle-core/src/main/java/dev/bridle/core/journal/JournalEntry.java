package dev.bridle.core.journal;

import java.util.Objects;

/** An event as stored: its run, its sequence number in that run (from 1), the event. */
public record JournalEntry(RunId runId, long seq, RunEvent event) {
  public JournalEntry {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(event, "event");
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1, but was " + seq);
    }
  }
}
