package dev.bridle.store;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.store.GroupCommitWriter.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The work of one group-commit transaction: the appends of a batch, in run-id order, written in a
 * few statements whatever their number.
 *
 * <ol>
 *   <li>One statement locks and reads the index rows of all the batch's runs (in run-id order).
 *   <li>Each append is checked and folded in memory, in order, against its run as the appends
 *       before it in the batch left it: a lease that moved, a conflict, or an event the index
 *       cannot fold fails that append alone, and none of its events is written (all or none).
 *   <li>Each run that changed gets one index write: its summary after all its appends.
 *   <li>One batch inserts all the events.
 * </ol>
 */
final class AppendBatch {

  /**
   * A run's index row was written by another transaction between the lock and the index write (only
   * a new run, whose row did not exist to be locked, on PostgreSQL): nothing of the batch is valid,
   * and it is to be tried again, when the row will be locked like any other.
   */
  static final class IndexMoved extends RuntimeException {
    IndexMoved(RunId runId) {
      super("the index row of run " + runId + " was created by another writer meanwhile", null);
    }
  }

  /** What the batch changes in one run. */
  private record RunChanges(
      RunId runId,
      boolean isNew,
      long storedLastSeq,
      RunSummary summary,
      int firstAppend,
      int appendCount,
      List<RunRows.EventRow> events) {}

  private AppendBatch() {}

  /**
   * Writes {@code appends} (sorted by run id, stably) in {@code c}'s transaction.
   *
   * @return the outcome of each append, in the order given
   * @throws IndexMoved if the batch is to be tried again; the transaction must be rolled back
   */
  static List<Outcome<Long>> write(Connection c, RunRows rows, List<PendingAppend> appends)
      throws SQLException {
    List<RunId> runIds = new ArrayList<>();
    for (PendingAppend append : appends) {
      if (runIds.isEmpty() || !runIds.getLast().equals(append.runId())) {
        runIds.add(append.runId());
      }
    }
    Map<RunId, RunRows.LockedRun> locked = rows.lockRuns(c, runIds);
    List<Outcome<Long>> outcomes = new ArrayList<>(appends.size());
    List<RunChanges> changes = new ArrayList<>(runIds.size());
    int start = 0;
    for (RunId runId : runIds) {
      int end = start;
      while (end < appends.size() && appends.get(end).runId().equals(runId)) {
        end++;
      }
      RunChanges changed = fold(runId, locked.get(runId), appends, start, end, outcomes);
      if (changed != null) {
        changes.add(changed);
      }
      start = end;
    }
    List<RunRows.EventRow> events = new ArrayList<>();
    for (RunChanges changed : writeIndex(c, rows, changes, outcomes)) {
      events.addAll(changed.events());
    }
    rows.insertEvents(c, events);
    return outcomes;
  }

  /**
   * Checks and folds the appends {@code start} to {@code end} (all of run {@code runId}), adding
   * their outcomes; returns what they change in the run, or null if nothing.
   */
  private static RunChanges fold(
      RunId runId,
      RunRows.LockedRun locked,
      List<PendingAppend> appends,
      int start,
      int end,
      List<Outcome<Long>> outcomes) {
    long epoch = locked == null ? 0 : locked.leaseEpoch();
    RunSummary current = locked == null ? null : locked.summary();
    long storedLastSeq = current == null ? 0 : current.lastSeq();
    List<RunRows.EventRow> events = new ArrayList<>();
    for (int i = start; i < end; i++) {
      PendingAppend append = appends.get(i);
      long actual = current == null ? 0 : current.lastSeq();
      if (append.isFenced() && epoch != append.fenceEpoch()) {
        outcomes.add(new Outcome.Fenced<>(epoch));
      } else if (actual != append.expectedLastSeq()) {
        outcomes.add(new Outcome.Conflict<>(actual));
      } else {
        RunSummary next = current;
        long seq = actual;
        try {
          for (PendingAppend.EncodedEvent event : append.events()) {
            seq++;
            next =
                next == null
                    ? RunSummary.start(runId, event.event())
                    : next.after(seq, event.event());
          }
        } catch (RuntimeException e) {
          outcomes.add(new Outcome.Refused<>(e));
          continue;
        }
        seq = actual;
        for (PendingAppend.EncodedEvent event : append.events()) {
          events.add(new RunRows.EventRow(runId, ++seq, event));
        }
        current = next;
        outcomes.add(new Outcome.Done<>(seq));
      }
    }
    if (events.isEmpty()) {
      return null;
    }
    return new RunChanges(
        runId, locked == null, storedLastSeq, current, start, end - start, events);
  }

  /**
   * Writes the index row of each changed run; returns the runs whose events are to be inserted. A
   * run whose row was created by another writer since the lock fails its append with a conflict if
   * it had one append in the batch, and the whole batch otherwise ({@link IndexMoved}).
   */
  private static List<RunChanges> writeIndex(
      Connection c, RunRows rows, List<RunChanges> changes, List<Outcome<Long>> outcomes)
      throws SQLException {
    List<RunChanges> written = new ArrayList<>(changes.size());
    List<RunChanges> existing = new ArrayList<>(changes.size());
    List<RunRows.IndexUpdate> updates = new ArrayList<>(changes.size());
    for (RunChanges changed : changes) {
      if (!changed.isNew()) {
        existing.add(changed);
        updates.add(new RunRows.IndexUpdate(changed.summary(), changed.storedLastSeq()));
      } else if (rows.insertRun(c, changed.summary())) {
        written.add(changed);
      } else {
        lost(c, rows, changed, outcomes);
      }
    }
    boolean[] made = rows.updateRuns(c, updates);
    for (int i = 0; i < made.length; i++) {
      if (made[i]) {
        written.add(existing.get(i));
      } else {
        lost(c, rows, existing.get(i), outcomes);
      }
    }
    return written;
  }

  private static void lost(
      Connection c, RunRows rows, RunChanges changed, List<Outcome<Long>> outcomes)
      throws SQLException {
    if (changed.appendCount() > 1) {
      throw new IndexMoved(changed.runId());
    }
    outcomes.set(changed.firstAppend(), new Outcome.Conflict<>(rows.lastSeq(c, changed.runId())));
  }
}
