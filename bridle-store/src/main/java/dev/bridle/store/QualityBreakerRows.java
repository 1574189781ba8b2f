package dev.bridle.store;

import dev.bridle.core.BridleException;
import dev.bridle.core.control.QualityBreaker.Action;
import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.State;
import dev.bridle.core.control.QualityBreaker.Status;
import dev.bridle.core.control.QualitySample;
import dev.bridle.core.control.QualitySignal;
import dev.bridle.core.control.QualityWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements over the quality breaker tables ({@code V6__quality_breakers.sql}), shared by
 * SQLite and PostgreSQL. A write transaction locks the workflow's breaker row first ({@link
 * #lockBreaker}) and the log last ({@link #log}), so that two writers cannot deadlock.
 */
final class QualityBreakerRows {

  private static final String COLUMNS =
      "workflow, state, changed_by, reason, changed_at, window_start, window_samples,"
          + " window_failures, evaluated_at, rule";

  private static final String CREATE =
      "INSERT INTO quality_breakers ("
          + COLUMNS
          + ") VALUES (?, 'CLOSED', '', '', ?, 0, 0, 0, ?, '') ON CONFLICT (workflow) DO NOTHING";

  private static final String SELECT = "SELECT " + COLUMNS + " FROM quality_breakers";

  private static final String UPDATE =
      "UPDATE quality_breakers SET state = ?, changed_by = ?, reason = ?, changed_at = ?,"
          + " window_start = ?, window_samples = ?, window_failures = ?, evaluated_at = ?,"
          + " rule = ? WHERE workflow = ?";

  private static final String ADD_SAMPLE =
      "INSERT INTO quality_samples (workflow, sample_id, signal, at) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (workflow, sample_id) DO NOTHING";

  private static final String DROP_SAMPLES =
      "DELETE FROM quality_samples WHERE workflow = ? AND (at <= ? OR at < ?)";

  private static final String LAST_SEQ = "SELECT MAX(seq) FROM quality_breaker_log";

  private static final String LOG =
      "INSERT INTO quality_breaker_log (seq, action, workflow, actor, reason, at)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private static final String HISTORY =
      "SELECT seq, action, workflow, actor, reason, at FROM quality_breaker_log";

  private final Dialect dialect;
  private final String window;

  QualityBreakerRows(Dialect dialect) {
    this.dialect = dialect;
    // newest first, ties by id in code-point order like core's in-memory store
    String idOrder =
        dialect == Dialect.POSTGRESQL ? "sample_id COLLATE \"C\" DESC" : "sample_id DESC";
    this.window =
        "SELECT signal, at FROM quality_samples WHERE workflow = ? AND at > ?"
            + " ORDER BY at DESC, "
            + idOrder
            + " LIMIT ?";
  }

  /**
   * The workflow's breaker, created closed if it has no row yet, locked until the transaction ends.
   */
  Status lockBreaker(Connection c, String workflow, Instant now) throws SQLException {
    long at = Times.toNanos(now);
    try (PreparedStatement s = c.prepareStatement(CREATE)) {
      s.setString(1, workflow);
      s.setLong(2, at);
      s.setLong(3, at);
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(SELECT + " WHERE workflow = ?" + dialect.lockRow())) {
      s.setString(1, workflow);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("the quality breaker row of " + workflow + " vanished");
        }
        return status(rs);
      }
    }
  }

  Optional<Status> find(Connection c, String workflow) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE workflow = ?")) {
      s.setString(1, workflow);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(status(rs)) : Optional.empty();
      }
    }
  }

  List<Status> all(Connection c) throws SQLException {
    String order = dialect == Dialect.POSTGRESQL ? "workflow COLLATE \"C\"" : "workflow";
    try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY " + order);
        ResultSet rs = s.executeQuery()) {
      List<Status> statuses = new ArrayList<>();
      while (rs.next()) {
        statuses.add(status(rs));
      }
      return statuses;
    }
  }

  /** Replaces the breaker's row with {@code status}. */
  void update(Connection c, Status status) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPDATE)) {
      s.setString(1, status.state().name());
      s.setString(2, StoredText.indexed(status.changedBy()));
      s.setString(3, StoredText.indexed(status.reason()));
      s.setLong(4, Times.toNanos(status.changedAt()));
      s.setLong(5, Times.toNanos(status.windowStart()));
      s.setInt(6, status.window().samples());
      s.setInt(7, status.window().failures());
      s.setLong(8, Times.toNanos(status.window().asOf()));
      s.setString(9, StoredText.indexed(status.rule()));
      s.setString(10, status.workflow());
      s.executeUpdate();
    }
  }

  /** Adds a sample; false if one with its id is there already. */
  boolean addSample(Connection c, String workflow, QualitySample sample) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ADD_SAMPLE)) {
      s.setString(1, workflow);
      s.setString(2, StoredText.indexed(sample.id()));
      s.setString(3, sample.signal().name());
      s.setLong(4, Times.toNanos(sample.at()));
      return s.executeUpdate() > 0;
    }
  }

  /** A sample in a window: what it said and when. */
  record Sampled(QualitySignal signal, Instant at) {}

  /** A window's samples, newest first: the newest {@code size} younger than {@code cutoff}. */
  List<Sampled> window(Connection c, String workflow, Instant cutoff, int size)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(window)) {
      s.setString(1, workflow);
      s.setLong(2, Times.toNanosClamped(cutoff));
      s.setInt(3, size);
      try (ResultSet rs = s.executeQuery()) {
        List<Sampled> samples = new ArrayList<>();
        while (rs.next()) {
          samples.add(new Sampled(signal(rs.getString(1)), Times.fromNanos(rs.getLong(2))));
        }
        return samples;
      }
    }
  }

  /** Deletes the samples at or before {@code cutoff}, and those older than {@code oldestKept}. */
  void dropSamples(Connection c, String workflow, Instant cutoff, Instant oldestKept)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DROP_SAMPLES)) {
      s.setString(1, workflow);
      s.setLong(2, Times.toNanosClamped(cutoff));
      s.setLong(3, Times.toNanosClamped(oldestKept));
      s.executeUpdate();
    }
  }

  /**
   * Appends an action to the log, as the next number: locks the log for writes first, the last lock
   * the transaction takes.
   */
  void log(Connection c, Action action, String workflow, String by, String reason, Instant at)
      throws SQLException {
    dialect.lockTableForWrites(c, "quality_breaker_log");
    long seq;
    try (PreparedStatement s = c.prepareStatement(LAST_SEQ);
        ResultSet rs = s.executeQuery()) {
      seq = (rs.next() ? rs.getLong(1) : 0) + 1;
    }
    try (PreparedStatement s = c.prepareStatement(LOG)) {
      s.setLong(1, seq);
      s.setString(2, action.name());
      s.setString(3, workflow);
      s.setString(4, StoredText.indexed(by));
      s.setString(5, StoredText.indexed(reason));
      s.setLong(6, Times.toNanos(at));
      s.executeUpdate();
    }
  }

  List<LogEntry> history(Connection c, String workflow, int limit) throws SQLException {
    String sql =
        HISTORY + (workflow == null ? "" : " WHERE workflow = ?") + " ORDER BY seq DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      if (workflow != null) {
        s.setString(i++, workflow);
      }
      s.setInt(i, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<LogEntry> entries = new ArrayList<>();
        while (rs.next()) {
          entries.add(
              new LogEntry(
                  rs.getLong(1),
                  action(rs.getString(2)),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  Times.fromNanos(rs.getLong(6))));
        }
        return entries;
      }
    }
  }

  private static Status status(ResultSet rs) throws SQLException {
    return new Status(
        rs.getString(1),
        state(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        Times.fromNanos(rs.getLong(5)),
        Times.fromNanos(rs.getLong(6)),
        new QualityWindow(rs.getInt(7), rs.getInt(8), Times.fromNanos(rs.getLong(9))),
        rs.getString(10));
  }

  private static State state(String stored) {
    try {
      return State.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw unknown("quality_breakers holds unknown state", stored, "CLOSED, OPEN", e);
    }
  }

  private static QualitySignal signal(String stored) {
    try {
      return QualitySignal.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw unknown(
          "quality_samples holds unknown signal",
          stored,
          java.util.Arrays.toString(QualitySignal.values()),
          e);
    }
  }

  private static Action action(String stored) {
    try {
      return Action.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw unknown("quality_breaker_log holds unknown action", stored, "TRIP, OPEN, CLOSE", e);
    }
  }

  private static BridleException unknown(
      String what, String stored, String known, IllegalArgumentException e) {
    return new BridleException(
        what + " '" + stored + "' (written by a newer Bridle?); known: " + known, e);
  }
}
