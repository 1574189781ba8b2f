package dev.bridle.store;

import dev.bridle.core.BridleException;
import dev.bridle.core.control.KillSwitch.Kill;
import dev.bridle.core.control.KillSwitch.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements over the kill switch tables ({@code V3__control.sql}), shared by SQLite and
 * PostgreSQL. The writes run inside a write transaction that began with {@link #lockLog}.
 */
final class KillSwitchRows {

  private static final String UPSERT =
      "INSERT INTO kill_switches (scope, target, killed_by, reason, killed_at)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, target) DO UPDATE"
          + " SET killed_by = excluded.killed_by, reason = excluded.reason,"
          + " killed_at = excluded.killed_at";

  private static final String DELETE = "DELETE FROM kill_switches WHERE scope = ? AND target = ?";

  private static final String LAST_SEQ = "SELECT MAX(seq) FROM kill_switch_log";

  private static final String LOG =
      "INSERT INTO kill_switch_log (seq, action, scope, target, actor, reason, at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private static final String ACTIVE =
      "SELECT scope, target, killed_by, reason, killed_at FROM kill_switches"
          + " ORDER BY killed_at, scope, target";

  private static final String HISTORY =
      "SELECT seq, action, scope, target, actor, reason, at FROM kill_switch_log"
          + " ORDER BY seq DESC LIMIT ?";

  private final Dialect dialect;

  KillSwitchRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Makes the transaction the only writer of the log until it ends, so that its entry gets the next
   * number: first, before any other lock, so that writers of the switches cannot deadlock.
   */
  void lockLog(Connection c) throws SQLException {
    dialect.lockTableForWrites(c, "kill_switch_log");
  }

  /** Turns a switch on, or replaces who, why and when of one that is on. */
  void upsert(Connection c, Scope scope, String target, String by, String reason, long atNanos)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setString(1, scope.name());
      s.setString(2, StoredText.indexed(target));
      s.setString(3, StoredText.indexed(by));
      s.setString(4, StoredText.indexed(reason));
      s.setLong(5, atNanos);
      s.executeUpdate();
    }
  }

  /** Turns a switch off; false if it was off. */
  boolean delete(Connection c, Scope scope, String target) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DELETE)) {
      s.setString(1, scope.name());
      s.setString(2, StoredText.indexed(target));
      return s.executeUpdate() > 0;
    }
  }

  /** Appends an action to the log, as the next number. */
  void log(
      Connection c,
      KillSwitchStore.Action action,
      Scope scope,
      String target,
      String by,
      String reason,
      long atNanos)
      throws SQLException {
    long seq;
    try (PreparedStatement s = c.prepareStatement(LAST_SEQ);
        ResultSet rs = s.executeQuery()) {
      seq = (rs.next() ? rs.getLong(1) : 0) + 1;
    }
    try (PreparedStatement s = c.prepareStatement(LOG)) {
      s.setLong(1, seq);
      s.setString(2, action.name());
      s.setString(3, scope.name());
      s.setString(4, StoredText.indexed(target));
      s.setString(5, StoredText.indexed(by));
      s.setString(6, StoredText.indexed(reason));
      s.setLong(7, atNanos);
      s.executeUpdate();
    }
  }

  List<Kill> active(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ACTIVE);
        ResultSet rs = s.executeQuery()) {
      List<Kill> kills = new ArrayList<>();
      while (rs.next()) {
        kills.add(
            new Kill(
                scope(rs.getString(1)),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Times.fromNanos(rs.getLong(5))));
      }
      return kills;
    }
  }

  List<KillSwitchStore.LogEntry> history(Connection c, int limit) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(HISTORY)) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<KillSwitchStore.LogEntry> entries = new ArrayList<>();
        while (rs.next()) {
          entries.add(
              new KillSwitchStore.LogEntry(
                  rs.getLong(1),
                  action(rs.getString(2)),
                  scope(rs.getString(3)),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  Times.fromNanos(rs.getLong(7))));
        }
        return entries;
      }
    }
  }

  private static Scope scope(String stored) {
    try {
      return Scope.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw new BridleException(
          "kill switch table holds unknown scope '"
              + stored
              + "' (written by a newer Bridle?); known scopes: GLOBAL, WORKFLOW, AGENT",
          e);
    }
  }

  private static KillSwitchStore.Action action(String stored) {
    try {
      return KillSwitchStore.Action.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw new BridleException(
          "kill switch log holds unknown action '"
              + stored
              + "' (written by a newer Bridle?); known actions: KILL, REVIVE",
          e);
    }
  }
}
