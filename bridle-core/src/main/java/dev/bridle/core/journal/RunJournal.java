package dev.bridle.core.journal;

import java.util.List;

/**
 * The append-only journal of runs (DESIGN §1). Appends are conditional on the sequence number the
 * writer last saw, so that two writers of one run cannot interleave: the second gets a {@link
 * JournalConflictException}. A durable implementation makes {@link #append} durable before it
 * returns; callers act on an event only after it was appended.
 */
public interface RunJournal {

  /**
   * Appends {@code event} as number {@code expectedLastSeq + 1} of the run.
   *
   * @param expectedLastSeq the sequence number of the run's last event as the writer knows it; 0
   *     for a new run
   * @return the sequence number given to the event
   * @throws JournalConflictException if the run's last event is not {@code expectedLastSeq}
   */
  long append(RunId runId, long expectedLastSeq, RunEvent event);

  /**
   * Appends {@code events} as numbers {@code expectedLastSeq + 1 ...}, all or none, in one
   * transaction where the store has transactions. The default appends one by one; durable stores
   * override it so that a step's write-ahead events cost one commit.
   *
   * @return the sequence number of the last event appended
   */
  default long appendAll(RunId runId, long expectedLastSeq, java.util.List<RunEvent> events) {
    long seq = expectedLastSeq;
    for (RunEvent event : events) {
      seq = append(runId, seq, event);
    }
    return seq;
  }

  /** All events of a run in order; empty for an unknown run. */
  default List<JournalEntry> read(RunId runId) {
    return readAfter(runId, 0);
  }

  /** The events of a run with a sequence number greater than {@code afterSeq}, in order. */
  List<JournalEntry> readAfter(RunId runId, long afterSeq);

  /** The ids of all runs with at least one event, oldest first. */
  List<RunId> runIds();
}
