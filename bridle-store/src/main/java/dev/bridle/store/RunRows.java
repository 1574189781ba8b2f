package dev.bridle.store;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The statements over the journal, the run index and snapshots ({@code V1__journal.sql}), shared by
 * SQLite and PostgreSQL. The lease columns of {@code V2__leases.sql} are {@link LeaseRows}'s; an
 * append only reads the lease epoch, to fence.
 */
final class RunRows {

  /** A run's index row as an append sees it, locked: its summary and its lease epoch. */
  record LockedRun(RunSummary summary, long leaseEpoch) {}

  /**
   * A new index row for a run that has one: valid if the row is still at {@code expectedLastSeq}.
   */
  record IndexUpdate(RunSummary run, long expectedLastSeq) {}

  /** An event to insert as number {@code seq} of its run. */
  record EventRow(RunId runId, long seq, PendingAppend.EncodedEvent event) {}

  /** Binds the parameters of row {@code i} of a batch. */
  @FunctionalInterface
  private interface RowBinder {
    void bind(PreparedStatement s, int i) throws SQLException;
  }

  private static final String RUN_COLUMNS =
      "run_id, workflow, workflow_version, user_name, status, created_at, updated_at, steps,"
          + " input_tokens, output_tokens, cached_input_tokens, task, last_seq";

  /** The position of {@code last_seq} in {@link #RUN_COLUMNS}; {@code lease_epoch} follows it. */
  private static final int LAST_SEQ_COLUMN = 13;

  private static final String INSERT_RUN =
      "INSERT INTO runs ("
          + RUN_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING";

  private static final String UPDATE_RUN =
      "UPDATE runs SET workflow = ?, workflow_version = ?, user_name = ?, status = ?,"
          + " created_at = ?, updated_at = ?, steps = ?, input_tokens = ?, output_tokens = ?,"
          + " cached_input_tokens = ?, task = ?, last_seq = ? WHERE run_id = ? AND last_seq = ?";

  private static final String INSERT_EVENT =
      "INSERT INTO events (run_id, seq, type, v, at, body) VALUES (?, ?, ?, ?, ?, ?)";

  private static final String UPSERT_SNAPSHOT =
      "INSERT INTO snapshots (run_id, seq, state) VALUES (?, ?, ?) ON CONFLICT (run_id) DO UPDATE"
          + " SET seq = excluded.seq, state = excluded.state WHERE snapshots.seq < excluded.seq";

  /** Runs that ended (core's {@link RunStatus#isTerminal()}) before a time. */
  private static final String ENDED =
      "status IN (" + statuses(RunStatus::isTerminal) + ") AND updated_at < ?";

  private final Dialect dialect;
  private final String selectRun;
  private final String selectRunForUpdate;
  private final String selectRunsForUpdateOrder;

  RunRows(Dialect dialect) {
    this.dialect = dialect;
    this.selectRun = "SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?";
    this.selectRunForUpdate =
        "SELECT " + RUN_COLUMNS + ", lease_epoch FROM runs WHERE run_id = ?" + dialect.lockRow();
    this.selectRunsForUpdateOrder = " ORDER BY " + dialect.runIdOrder() + dialect.lockRow();
  }

  // ---- writes (inside a transaction) ----

  /**
   * The run's index row and lease epoch, locked until the transaction ends where the database has
   * row locks (SQLite's transactions hold the whole database).
   */
  Optional<LockedRun> lockRun(Connection c, RunId runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(selectRunForUpdate)) {
      s.setString(1, runId.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new LockedRun(summary(rs), rs.getLong(LAST_SEQ_COLUMN + 1)))
            : Optional.empty();
      }
    }
  }

  /**
   * The index rows and lease epochs of {@code runIds} (those that have one), locked in run-id order
   * until the transaction ends, in one statement: batches that lock the same rows in the same order
   * cannot deadlock.
   */
  Map<RunId, LockedRun> lockRuns(Connection c, List<RunId> runIds) throws SQLException {
    if (runIds.size() == 1) {
      Optional<LockedRun> locked = lockRun(c, runIds.get(0));
      return locked.isPresent() ? Map.of(runIds.get(0), locked.get()) : Map.of();
    }
    String[] ids = new String[runIds.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = runIds.get(i).value();
    }
    String sql =
        "SELECT "
            + RUN_COLUMNS
            + ", lease_epoch FROM runs WHERE "
            + dialect.runIdIn(ids.length)
            + selectRunsForUpdateOrder;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      dialect.bindRunIds(s, ids);
      try (ResultSet rs = s.executeQuery()) {
        Map<RunId, LockedRun> locked = new HashMap<>();
        while (rs.next()) {
          RunSummary summary = summary(rs);
          locked.put(summary.runId(), new LockedRun(summary, rs.getLong(LAST_SEQ_COLUMN + 1)));
        }
        return locked;
      }
    }
  }

  /** The run's last sequence number, 0 for an unknown run. */
  long lastSeq(Connection c, RunId runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT last_seq FROM runs WHERE run_id = ?")) {
      s.setString(1, runId.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Inserts the index row of a new run; false if another writer created it first. */
  boolean insertRun(Connection c, RunSummary run) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT_RUN)) {
      s.setString(1, run.runId().value());
      int next = setRunValues(s, run, 2);
      s.setLong(next, run.lastSeq());
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Updates the index rows that are still at their expected last sequence numbers, in one round
   * trip where the database is a server.
   *
   * @return for each update, whether it was made
   */
  boolean[] updateRuns(Connection c, List<IndexUpdate> updates) throws SQLException {
    int[] counts =
        executeAll(
            c,
            UPDATE_RUN,
            updates.size(),
            (s, i) -> {
              IndexUpdate update = updates.get(i);
              int next = setRunValues(s, update.run(), 1);
              s.setLong(next++, update.run().lastSeq());
              s.setString(next++, update.run().runId().value());
              s.setLong(next, update.expectedLastSeq());
            });
    boolean[] made = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      made[i] = counts[i] == 1;
    }
    return made;
  }

  /** Inserts events, in one round trip where the database is a server. */
  void insertEvents(Connection c, List<EventRow> events) throws SQLException {
    executeAll(
        c,
        INSERT_EVENT,
        events.size(),
        (s, i) -> {
          EventRow row = events.get(i);
          s.setString(1, row.runId().value());
          s.setLong(2, row.seq());
          s.setString(3, row.event().type());
          s.setInt(4, row.event().version());
          s.setLong(5, row.event().atNanos());
          s.setString(6, row.event().body());
        });
  }

  /**
   * Runs {@code sql} once for each of {@code count} rows: as a JDBC batch where that saves round
   * trips (PostgreSQL), else one statement after another (SQLite, in the process: its errors then
   * keep their result codes). Returns the update counts, unknown ones as {@link
   * java.sql.Statement#SUCCESS_NO_INFO}.
   */
  private int[] executeAll(Connection c, String sql, int count, RowBinder binder)
      throws SQLException {
    if (count == 0) {
      return new int[0];
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (count > 1 && dialect.batchesStatements()) {
        for (int i = 0; i < count; i++) {
          binder.bind(s, i);
          s.addBatch();
        }
        return s.executeBatch();
      }
      int[] counts = new int[count];
      for (int i = 0; i < count; i++) {
        binder.bind(s, i);
        counts[i] = s.executeUpdate();
      }
      return counts;
    }
  }

  void upsertSnapshot(Connection c, Snapshot snapshot) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT_SNAPSHOT)) {
      s.setString(1, snapshot.runId().value());
      s.setLong(2, snapshot.seq());
      s.setString(3, StoredText.json(snapshot.stateJson()));
      s.executeUpdate();
    }
  }

  /** Deletes ended runs; their events and snapshots go with them ({@code ON DELETE CASCADE}). */
  int deleteEndedBefore(Connection c, Instant endedBefore) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM runs WHERE " + ENDED)) {
      s.setLong(1, Times.toNanosClamped(endedBefore));
      return s.executeUpdate();
    }
  }

  // ---- reads ----

  Optional<RunSummary> findRun(Connection c, RunId runId) throws SQLException {
    return selectRun(c, selectRun, runId);
  }

  List<JournalEntry> readAfter(Connection c, RunId runId, long afterSeq) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT seq, body FROM events WHERE run_id = ? AND seq > ? ORDER BY seq")) {
      s.setString(1, runId.value());
      s.setLong(2, afterSeq);
      try (ResultSet rs = s.executeQuery()) {
        List<JournalEntry> entries = new ArrayList<>();
        while (rs.next()) {
          entries.add(new JournalEntry(runId, rs.getLong(1), EventCodec.decode(rs.getString(2))));
        }
        return entries;
      }
    }
  }

  List<RunId> runIds(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT run_id FROM runs ORDER BY created_at, " + dialect.runIdOrder());
        ResultSet rs = s.executeQuery()) {
      List<RunId> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(RunId.of(rs.getString(1)));
      }
      return ids;
    }
  }

  List<RunSummary> list(Connection c, RunQuery query) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(RUN_COLUMNS).append(" FROM runs");
    List<Object> values = new ArrayList<>();
    String joiner = " WHERE ";
    if (query.status().isPresent()) {
      sql.append(joiner).append("status = ?");
      values.add(query.status().get().name());
      joiner = " AND ";
    }
    if (query.workflow().isPresent()) {
      sql.append(joiner).append("workflow = ?");
      values.add(query.workflow().get());
      joiner = " AND ";
    }
    if (query.user().isPresent()) {
      sql.append(joiner).append("user_name = ?");
      values.add(query.user().get());
      joiner = " AND ";
    }
    if (query.createdAfter().isPresent()) {
      sql.append(joiner).append("created_at > ?");
      values.add(Times.toNanosClamped(query.createdAfter().get()));
      joiner = " AND ";
    }
    if (query.createdBefore().isPresent()) {
      sql.append(joiner).append("created_at < ?");
      values.add(Times.toNanosClamped(query.createdBefore().get()));
    }
    sql.append(" ORDER BY created_at DESC, ").append(dialect.runIdOrder()).append(" DESC LIMIT ?");
    values.add(query.limit());
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < values.size(); i++) {
        s.setObject(i + 1, values.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        List<RunSummary> runs = new ArrayList<>();
        while (rs.next()) {
          runs.add(summary(rs));
        }
        return runs;
      }
    }
  }

  Optional<Snapshot> latestSnapshot(Connection c, RunId runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT seq, state FROM snapshots WHERE run_id = ?")) {
      s.setString(1, runId.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Snapshot(runId, rs.getLong(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  // ---- mapping ----

  /**
   * The statuses {@code which} accepts, as a list of SQL literals for {@code status IN (...)}:
   * derived from core's {@link RunStatus}, so that a status added there is placed by its own rules.
   */
  static String statuses(Predicate<RunStatus> which) {
    return Arrays.stream(RunStatus.values())
        .filter(which)
        .map(status -> "'" + status.name() + "'")
        .collect(Collectors.joining(", "));
  }

  private Optional<RunSummary> selectRun(Connection c, String sql, RunId runId)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, runId.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
      }
    }
  }

  /** Sets workflow through task (11 values) from parameter {@code first}; returns the next. */
  private static int setRunValues(PreparedStatement s, RunSummary run, int first)
      throws SQLException {
    int i = first;
    setText(s, i++, run.workflow());
    setText(s, i++, run.workflowVersion());
    setText(s, i++, run.user());
    s.setString(i++, run.status().name());
    s.setLong(i++, Times.toNanos(run.createdAt()));
    s.setLong(i++, Times.toNanos(run.updatedAt()));
    s.setInt(i++, run.steps());
    Usage usage = run.usage() == null ? Usage.ZERO : run.usage();
    s.setLong(i++, usage.inputTokens());
    s.setLong(i++, usage.outputTokens());
    s.setLong(i++, usage.cachedInputTokens());
    setText(s, i++, run.task());
    return i;
  }

  private static void setText(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, StoredText.indexed(value));
    }
  }

  /**
   * The summary in the current row of a query that selects {@link #RUN_COLUMNS} first, read by
   * position (a lookup by name costs a search per column, on every append).
   */
  private static RunSummary summary(ResultSet rs) throws SQLException {
    return new RunSummary(
        RunId.of(rs.getString(1)),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        RunStatus.valueOf(rs.getString(5)),
        Times.fromNanos(rs.getLong(6)),
        Times.fromNanos(rs.getLong(7)),
        rs.getInt(8),
        new Usage(rs.getLong(9), rs.getLong(10), rs.getLong(11)),
        rs.getString(12),
        rs.getLong(LAST_SEQ_COLUMN));
  }
}
