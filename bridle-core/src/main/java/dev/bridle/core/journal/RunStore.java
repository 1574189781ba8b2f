package dev.bridle.core.journal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The journal plus what a durable deployment needs around it: the run index, snapshots and
 * retention. Implementations: {@link InMemoryRunStore}, and SQLite and PostgreSQL in {@code
 * bridle-store}. All of them pass one contract test suite.
 *
 * <p>{@link #append} updates the run's index row in the same transaction as the event, so the index
 * never disagrees with the journal.
 */
public interface RunStore extends RunJournal, AutoCloseable {

  /** The index row of a run. */
  Optional<RunSummary> find(RunId runId);

  /** Index rows matching {@code query}, newest first. */
  List<RunSummary> list(RunQuery query);

  /** Stores a snapshot; a later one for the same run replaces an earlier one. */
  void saveSnapshot(Snapshot snapshot);

  /** The latest snapshot of a run, if any. */
  Optional<Snapshot> latestSnapshot(RunId runId);

  /**
   * Retention: deletes the events, snapshots and index rows of runs that ended (completed or
   * failed) before {@code endedBefore}. Runs still going or waiting for a human are never touched.
   *
   * @return how many runs were deleted
   */
  int pruneEndedBefore(Instant endedBefore);

  /** Releases connections and files. The default does nothing. */
  @Override
  default void close() {}
}
