package dev.bridle.store;

import dev.bridle.core.journal.RunJournal;
import dev.bridle.core.journal.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Every write of a store goes through here: a queue served by writer threads (one for SQLite, a few
 * for PostgreSQL). Appends that wait in the queue together are committed in one transaction (group
 * commit), which is what makes many concurrent runs cheap: one commit, one fsync, for many events.
 *
 * <p>An append carries one or more events of one run ({@link RunJournal#appendAll}), stored all or
 * none. A batch costs a few statements whatever its size ({@link AppendBatch}): one that locks and
 * reads the index rows of all its runs, one index write per run, one batch of event inserts.
 *
 * <p>The semantics are exactly those of one transaction per append:
 *
 * <ul>
 *   <li>a caller returns only after the transaction holding its events has committed;
 *   <li>each append checks its own run's last sequence number inside the transaction, after the
 *       appends before it in the batch, so a conflict is found without an SQL error and fails that
 *       caller only; so does an event the run index cannot fold (and then none of the append's
 *       events is stored);
 *   <li>an append made through a lease (fenced) also checks, under the same row lock and in the
 *       same transaction, that the run is still at the lease's epoch; if another node claimed the
 *       run since, that append alone is refused ({@link Outcome.Fenced}). A claim raises the epoch
 *       under that row lock too, so no append of an earlier holder can commit after it;
 *   <li>if the batch fails on an SQL error that is not the store's unavailability (a bug, bad data,
 *       or any other exception), it is rolled back and every append in it is retried in a
 *       transaction of its own, so that the failure reaches only the caller it belongs to;
 *   <li>if the store is unavailable, nothing of the batch was stored and every caller in it gets a
 *       {@link StoreUnavailableException}; if the commit itself failed, every caller is told the
 *       outcome is unknown.
 * </ul>
 *
 * <p>A transaction the database rolled back to break a deadlock or a serialization conflict is
 * tried again (nothing of it was stored), up to three times in all; so is a batch in which a new
 * run's index row was created by another writer after the batch looked for it.
 *
 * <p>Within a batch, appends are taken in run-id order (stable, so two appends to one run keep
 * their order): concurrent batches on several nodes then lock index rows in the same order and
 * cannot deadlock.
 */
final class GroupCommitWriter implements AutoCloseable {

  /** At most this many appends in one transaction, by default. */
  static final int MAX_BATCH = 256;

  /** Attempts at a transaction the database rolled back to break a deadlock. */
  private static final int MAX_ATTEMPTS = 3;

  private static final Comparator<AppendJob> BY_RUN_ID =
      Comparator.comparing(job -> job.append().runId().value());

  /** A unit of work inside a write transaction. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** How one write ended, carried back to the caller's thread. */
  sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {}

    /** The run's last sequence number was not the expected one. */
    record Conflict<T>(long actualLastSeq) implements Outcome<T> {}

    /** The run's lease epoch was not the append's fence epoch: its lease went to another node. */
    record Fenced<T>(long currentEpoch) implements Outcome<T> {}

    /** The write was refused before it reached the database (the index cannot fold the event). */
    record Refused<T>(RuntimeException reason) implements Outcome<T> {}

    record Failed<T>(StoreFailure failure) implements Outcome<T> {}
  }

  private sealed interface Job {
    /** What the job does, for messages (built only for one). */
    String describe();
  }

  private record AppendJob(PendingAppend append, CompletableFuture<Outcome<Long>> result)
      implements Job {
    @Override
    public String describe() {
      return append.describe();
    }
  }

  private record TaskJob<T>(String doing, SqlWork<T> work, CompletableFuture<Outcome<T>> result)
      implements Job {
    void run(GroupCommitWriter writer) {
      result.complete(writer.runTask(doing, work));
    }

    @Override
    public String describe() {
      return doing;
    }
  }

  private enum Stop implements Job {
    INSTANCE;

    @Override
    public String describe() {
      return "stopping";
    }
  }

  /** How a transaction ended. */
  private sealed interface Transaction<T> {
    record Committed<T>(T value) implements Transaction<T> {}

    record FailedBeforeCommit<T>(SQLException cause) implements Transaction<T> {}

    record FailedAtCommit<T>(SQLException cause) implements Transaction<T> {}

    record Refused<T>(RuntimeException reason) implements Transaction<T> {}
  }

  private final String store;
  private final Dialect dialect;
  private final RunRows rows;
  private final WriteConnections connections;
  private final int maxBatch;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object lifecycle = new Object();
  private boolean closed;

  GroupCommitWriter(
      String store,
      Dialect dialect,
      RunRows rows,
      WriteConnections connections,
      int threadCount,
      int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, but was " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.store = store;
    this.dialect = dialect;
    this.rows = rows;
    this.connections = connections;
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(this::serveUntilStopped, "bridle-store-writer-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  /**
   * Appends (all the append's events or none) as one transaction would; waits (uninterruptibly)
   * until the outcome is known. The outcome's value is the sequence number of the last event.
   */
  Outcome<Long> append(PendingAppend append) {
    CompletableFuture<Outcome<Long>> result = new CompletableFuture<>();
    submit(new AppendJob(append, result));
    return await(result);
  }

  /** Runs {@code work} in a write transaction of its own. */
  <T> Outcome<T> write(String doing, SqlWork<T> work) {
    CompletableFuture<Outcome<T>> result = new CompletableFuture<>();
    submit(new TaskJob<>(doing, work, result));
    return await(result);
  }

  /** Finishes the writes already queued, then stops the writer threads. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = 0; i < threads.size(); i++) {
        queue.add(Stop.INSTANCE);
      }
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    connections.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Job job) {
    synchronized (lifecycle) {
      if (closed) {
        throw new StoreUnavailableException(
            "store " + store + " is closed: " + job.describe() + " was not attempted", null);
      }
      queue.add(job);
    }
  }

  /**
   * Waits for the outcome even if interrupted: the write is under way and cannot be taken back, and
   * the caller must learn whether its event is stored. The interrupt is restored afterwards.
   */
  private static <T> T await(CompletableFuture<T> result) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("store writer failed unexpectedly", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---- the writer threads ----

  private void serveUntilStopped() {
    List<Job> jobs = new ArrayList<>();
    while (true) {
      jobs.clear();
      try {
        jobs.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() ends a writer, through Stop, after the queue is served
      }
      queue.drainTo(jobs, maxBatch - 1);
      int stops = serve(jobs);
      if (stops > 0) {
        for (int i = 1; i < stops; i++) {
          queue.add(Stop.INSTANCE); // for the other writers
        }
        return;
      }
    }
  }

  /** Serves jobs in order, batching consecutive appends; returns the number of stops seen. */
  private int serve(List<Job> jobs) {
    int stops = 0;
    List<AppendJob> appends = new ArrayList<>();
    for (Job job : jobs) {
      switch (job) {
        case AppendJob append -> appends.add(append);
        case TaskJob<?> task -> {
          commitAppends(appends);
          appends.clear();
          runSafely(() -> task.run(this), task.result());
        }
        case Stop stop -> stops++;
      }
    }
    commitAppends(appends);
    return stops;
  }

  /** A writer thread must survive anything, and no caller may wait forever. */
  private static void runSafely(Runnable action, CompletableFuture<?> result) {
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    }
  }

  private void commitAppends(List<AppendJob> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    try {
      commitBatch(List.copyOf(jobs));
    } catch (RuntimeException | Error e) {
      jobs.forEach(job -> job.result().completeExceptionally(e));
    }
  }

  private void commitBatch(List<AppendJob> jobs) {
    commitBatch(jobs, 1);
  }

  private void commitBatch(List<AppendJob> jobs, int attempt) {
    List<AppendJob> ordered = jobs.size() == 1 ? jobs : jobs.stream().sorted(BY_RUN_ID).toList();
    List<PendingAppend> appends = new ArrayList<>(ordered.size());
    for (AppendJob job : ordered) {
      appends.add(job.append());
    }
    Transaction<List<Outcome<Long>>> transaction =
        inTransaction(connection -> AppendBatch.write(connection, rows, appends));
    switch (transaction) {
      case Transaction.Committed<List<Outcome<Long>>> committed -> {
        for (int i = 0; i < ordered.size(); i++) {
          ordered.get(i).result().complete(committed.value().get(i));
        }
      }
      case Transaction.FailedAtCommit<List<Outcome<Long>>> failed -> {
        for (AppendJob job : ordered) {
          job.result()
              .complete(
                  new Outcome.Failed<>(
                      StoreFailure.atCommit(store, job.append().describe(), failed.cause())));
        }
      }
      case Transaction.FailedBeforeCommit<List<Outcome<Long>>> failed
          when attempt < MAX_ATTEMPTS && dialect.isRetryable(failed.cause()) ->
          commitBatch(jobs, attempt + 1);
      case Transaction.FailedBeforeCommit<List<Outcome<Long>>> failed
          when ordered.size() > 1 && !dialect.isUnavailable(failed.cause()) -> {
        for (AppendJob job : ordered) {
          commitBatch(List.of(job));
        }
      }
      case Transaction.FailedBeforeCommit<List<Outcome<Long>>> failed -> {
        for (AppendJob job : ordered) {
          job.result().complete(failedAppend(job.append(), failed.cause()));
        }
      }
      case Transaction.Refused<List<Outcome<Long>>> refused
          when refused.reason() instanceof AppendBatch.IndexMoved && attempt < MAX_ATTEMPTS ->
          commitBatch(jobs, attempt + 1);
      case Transaction.Refused<List<Outcome<Long>>> refused when ordered.size() > 1 -> {
        for (AppendJob job : ordered) {
          commitBatch(List.of(job));
        }
      }
      case Transaction.Refused<List<Outcome<Long>>> refused -> {
        for (AppendJob job : ordered) {
          job.result().complete(new Outcome.Refused<>(refused.reason()));
        }
      }
    }
  }

  /** The outcome of an append whose own transaction failed before its commit. */
  private Outcome<Long> failedAppend(PendingAppend append, SQLException cause) {
    if (dialect.isUniqueViolation(cause)) {
      // Another writer stored this sequence number first (seen only where the row lock did not
      // apply): a conflict, reported with the run's last sequence number as it is now.
      Transaction<Long> reread = inTransaction(c -> rows.lastSeq(c, append.runId()));
      long actual =
          reread instanceof Transaction.Committed<Long> committed
              ? committed.value()
              : append.expectedLastSeq() + 1;
      return new Outcome.Conflict<>(actual);
    }
    return new Outcome.Failed<>(StoreFailure.of(store, dialect, append.describe(), cause));
  }

  private <T> Outcome<T> runTask(String doing, SqlWork<T> work) {
    Transaction<T> transaction = inTransaction(work);
    for (int attempt = 1;
        attempt < MAX_ATTEMPTS
            && transaction instanceof Transaction.FailedBeforeCommit<T> failed
            && dialect.isRetryable(failed.cause());
        attempt++) {
      transaction = inTransaction(work);
    }
    return switch (transaction) {
      case Transaction.Committed<T> committed -> new Outcome.Done<>(committed.value());
      case Transaction.FailedAtCommit<T> failed ->
          new Outcome.Failed<>(StoreFailure.atCommit(store, doing, failed.cause()));
      case Transaction.FailedBeforeCommit<T> failed ->
          new Outcome.Failed<>(StoreFailure.of(store, dialect, doing, failed.cause()));
      case Transaction.Refused<T> refused -> new Outcome.Refused<>(refused.reason());
    };
  }

  private <T> Transaction<T> inTransaction(SqlWork<T> work) {
    Connection connection;
    try {
      connection = connections.acquire();
    } catch (SQLException e) {
      return new Transaction.FailedBeforeCommit<>(e);
    }
    boolean broken = false;
    try {
      dialect.begin(connection);
      connections.verify(connection);
      T value;
      try {
        value = work.run(connection);
      } catch (RuntimeException e) {
        broken = !rollback(connection);
        return new Transaction.Refused<>(e);
      }
      try {
        dialect.commit(connection);
        connections.verify(connection);
      } catch (SQLException e) {
        broken = true;
        rollback(connection);
        return new Transaction.FailedAtCommit<>(e);
      }
      return new Transaction.Committed<>(value);
    } catch (SQLException e) {
      broken = !rollback(connection) || dialect.isUnavailable(e);
      return new Transaction.FailedBeforeCommit<>(e);
    } finally {
      try {
        dialect.end(connection);
      } catch (SQLException e) {
        broken = true;
      }
      connections.release(connection, broken);
    }
  }

  /** Rolls back; false if that failed too (the connection is then not to be trusted). */
  private boolean rollback(Connection connection) {
    try {
      dialect.rollback(connection);
      return true;
    } catch (SQLException e) {
      return false;
    }
  }
}
