package dev.bridle.store;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.LeaseLostException;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.journal.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link RunStore} over JDBC, for SQLite and PostgreSQL alike: writes through a {@link
 * GroupCommitWriter}, reads from a pool of connections (SQLite in WAL mode reads alongside its
 * writer).
 */
final class JdbcRunStore implements RunStore {

  private final String store;
  private final Dialect dialect;
  private final RunRows rows;
  private final GroupCommitWriter writer;
  private final DataSource reads;
  private final AutoCloseable resources;
  private volatile boolean closed;

  /**
   * @param resources closed last, after the writer: the pools and files behind {@code reads}
   */
  JdbcRunStore(
      String store,
      Dialect dialect,
      WriteConnections writes,
      int writerThreads,
      int maxBatch,
      DataSource reads,
      AutoCloseable resources) {
    this.store = store;
    this.dialect = dialect;
    this.rows = new RunRows(dialect);
    this.writer = new GroupCommitWriter(store, dialect, rows, writes, writerThreads, maxBatch);
    this.reads = reads;
    this.resources = resources;
  }

  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    return append(
        PendingAppend.of(runId, expectedLastSeq, List.of(Objects.requireNonNull(event, "event"))),
        null);
  }

  /**
   * {@inheritDoc} In one transaction (group-committed with other appends), all or none: a conflict
   * or an event the index cannot fold stores none of them.
   */
  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    return append(PendingAppend.of(runId, expectedLastSeq, events), null);
  }

  /**
   * Appends only if the run is still at the lease's epoch, checked in the append's transaction; all
   * of {@code events} or none.
   *
   * @throws LeaseLostException if another node claimed the run since the lease was taken
   */
  long appendFenced(Lease lease, long expectedLastSeq, List<RunEvent> events) {
    return append(
        PendingAppend.fenced(lease.runId(), expectedLastSeq, lease.epoch(), events), lease);
  }

  /**
   * @param lease the lease the append is fenced by, or null
   */
  private long append(PendingAppend append, Lease lease) {
    return switch (writer.append(append)) {
      case GroupCommitWriter.Outcome.Done<Long> done -> done.value();
      case GroupCommitWriter.Outcome.Conflict<Long> conflict ->
          throw new JournalConflictException(
              append.runId(), append.expectedLastSeq(), conflict.actualLastSeq());
      case GroupCommitWriter.Outcome.Fenced<Long> lost ->
          throw lease == null
              ? new IllegalStateException("an append without a lease was fenced")
              : new LeaseLostException(lease, "the run is now at epoch " + lost.currentEpoch());
      case GroupCommitWriter.Outcome.Refused<Long> refused -> throw refused.reason();
      case GroupCommitWriter.Outcome.Failed<Long> failed -> throw failed.failure().toException();
    };
  }

  @Override
  public List<JournalEntry> readAfter(RunId runId, long afterSeq) {
    Objects.requireNonNull(runId, "runId");
    return read("reading run " + runId, c -> rows.readAfter(c, runId, afterSeq));
  }

  /** {@inheritDoc} Oldest means by the time of the run's first event, then by id. */
  @Override
  public List<RunId> runIds() {
    return read("listing run ids", rows::runIds);
  }

  @Override
  public Optional<RunSummary> find(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    return read("finding run " + runId, c -> rows.findRun(c, runId));
  }

  @Override
  public List<RunSummary> list(RunQuery query) {
    Objects.requireNonNull(query, "query");
    return read("listing runs", c -> rows.list(c, query));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the run has no events: a snapshot summarises events
   */
  @Override
  public void saveSnapshot(Snapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    String doing = "saving snapshot #" + snapshot.seq() + " of run " + snapshot.runId();
    write(
        doing,
        c -> {
          if (rows.lockRun(c, snapshot.runId()).isEmpty()) {
            throw new IllegalArgumentException(
                "run "
                    + snapshot.runId()
                    + " has no events in store "
                    + store
                    + "; a snapshot can only follow its run's events");
          }
          rows.upsertSnapshot(c, snapshot);
          return null;
        });
  }

  @Override
  public Optional<Snapshot> latestSnapshot(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    return read("reading the snapshot of run " + runId, c -> rows.latestSnapshot(c, runId));
  }

  @Override
  public int pruneEndedBefore(Instant endedBefore) {
    Objects.requireNonNull(endedBefore, "endedBefore");
    return write(
        "pruning runs that ended before " + endedBefore,
        c -> rows.deleteEndedBefore(c, endedBefore));
  }

  /** Finishes the writes under way, then closes connections and files. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    try {
      resources.close();
    } catch (Exception e) {
      // closing releases what it can; a failure to close has nothing left to lose
    }
  }

  Dialect dialect() {
    return dialect;
  }

  /** The pool the store reads from (closed with the store). */
  DataSource reads() {
    return reads;
  }

  /** The store's URL without a password, for messages. */
  String location() {
    return store;
  }

  @Override
  public String toString() {
    return "RunStore[" + store + "]";
  }

  /** Runs {@code work} in a write transaction of its own, through the store's writer. */
  <T> T write(String doing, GroupCommitWriter.SqlWork<T> work) {
    return switch (writer.write(doing, work)) {
      case GroupCommitWriter.Outcome.Done<T> done -> done.value();
      case GroupCommitWriter.Outcome.Conflict<T> conflict ->
          throw new IllegalStateException("unexpected conflict while " + doing);
      case GroupCommitWriter.Outcome.Fenced<T> fenced ->
          throw new IllegalStateException("unexpected fencing while " + doing);
      case GroupCommitWriter.Outcome.Refused<T> refused -> throw refused.reason();
      case GroupCommitWriter.Outcome.Failed<T> failed -> throw failed.failure().toException();
    };
  }

  /**
   * Runs a read. Reads change nothing, so one that fails on a broken connection (a pooled
   * connection the database dropped while it restarted) is tried once more on a fresh one.
   */
  <T> T read(String doing, GroupCommitWriter.SqlWork<T> work) {
    if (closed) {
      throw new StoreUnavailableException(
          "store " + store + " is closed: " + doing + " was not attempted", null);
    }
    try {
      return readOnce(work);
    } catch (SQLException first) {
      if (!dialect.isUnavailable(first)) {
        throw StoreFailure.of(store, dialect, doing, first).toException();
      }
      try {
        return readOnce(work);
      } catch (SQLException second) {
        second.addSuppressed(first);
        throw StoreFailure.of(store, dialect, doing, second).toException();
      }
    }
  }

  private <T> T readOnce(GroupCommitWriter.SqlWork<T> work) throws SQLException {
    try (Connection connection = reads.getConnection()) {
      return work.run(connection);
    }
  }
}
