package dev.bridle.store;

import dev.bridle.core.BridleException;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.policy.Mode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements over the deployment evidence tables ({@code V7__deployment_evidence.sql}), shared
 * by SQLite and PostgreSQL. Lists are newest first, ties broken by text in code-point order (like
 * core's in-memory store) whatever the database's collation.
 */
final class DeploymentEvidenceRows {

  private static final String DECISION_COLUMNS =
      "run_id, workflow, workflow_version, calls, decided_by, decided_at";

  private static final String INSERT_DECISION =
      "INSERT INTO shadow_decisions ("
          + DECISION_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING";

  private static final String FEEDBACK_COLUMNS =
      "run_id, given_by, workflow, workflow_version, rating, comment, given_at";

  private static final String UPSERT_FEEDBACK =
      "INSERT INTO run_feedback ("
          + FEEDBACK_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, given_by) DO UPDATE SET"
          + " workflow = excluded.workflow, workflow_version = excluded.workflow_version,"
          + " rating = excluded.rating, comment = excluded.comment, given_at = excluded.given_at";

  private static final String EVALUATION_COLUMNS =
      "workflow, workflow_version, suite, total, passed, recorded_at, recorded_by";

  private static final String CHANGE_COLUMNS =
      "seq, workflow, from_mode, to_mode, changed_by, reason, forced, evidence, changed_at";

  private final Dialect dialect;

  DeploymentEvidenceRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /** {@code column} for an ORDER BY in code-point order. */
  private String ordered(String column) {
    return dialect == Dialect.POSTGRESQL ? column + " COLLATE \"C\"" : column;
  }

  // ---- shadow decisions ----

  /** Inserts the decision; false when the run has one already. */
  boolean insertDecision(Connection c, ShadowDecision decision) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT_DECISION)) {
      s.setString(1, decision.runId().value());
      s.setString(2, StoredText.indexed(decision.workflow()));
      s.setString(3, StoredText.indexed(decision.workflowVersion()));
      s.setString(4, StoredText.json(decision.callsJson()));
      s.setString(5, StoredText.indexed(decision.by()));
      s.setLong(6, Times.toNanos(decision.at()));
      return s.executeUpdate() > 0;
    }
  }

  Optional<ShadowDecision> decision(Connection c, RunId runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + DECISION_COLUMNS + " FROM shadow_decisions WHERE run_id = ?")) {
      s.setString(1, runId.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(decision(rs)) : Optional.empty();
      }
    }
  }

  List<ShadowDecision> decisions(Connection c, String workflow, int limit) throws SQLException {
    String sql =
        "SELECT "
            + DECISION_COLUMNS
            + " FROM shadow_decisions WHERE workflow = ? ORDER BY decided_at DESC, "
            + ordered("run_id")
            + " DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, workflow);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<ShadowDecision> decisions = new ArrayList<>();
        while (rs.next()) {
          decisions.add(decision(rs));
        }
        return decisions;
      }
    }
  }

  private static ShadowDecision decision(ResultSet rs) throws SQLException {
    String runId = rs.getString(1);
    try {
      return new ShadowDecision(
          RunId.of(runId),
          rs.getString(2),
          rs.getString(3),
          ShadowDecision.parseCalls(rs.getString(4)),
          rs.getString(5),
          Times.fromNanos(rs.getLong(6)));
    } catch (RuntimeException e) {
      throw new BridleException(
          "shadow_decisions holds a decision for run "
              + runId
              + " that cannot be read: "
              + e.getMessage(),
          e);
    }
  }

  // ---- feedback ----

  /** Inserts the feedback, or replaces the same person's on the run; true when it replaced. */
  boolean upsertFeedback(Connection c, Feedback feedback) throws SQLException {
    boolean existed;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT rating FROM run_feedback WHERE run_id = ? AND given_by = ?"
                + dialect.lockRow())) {
      s.setString(1, feedback.runId().value());
      s.setString(2, StoredText.indexed(feedback.by()));
      try (ResultSet rs = s.executeQuery()) {
        existed = rs.next();
      }
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT_FEEDBACK)) {
      s.setString(1, feedback.runId().value());
      s.setString(2, StoredText.indexed(feedback.by()));
      s.setString(3, StoredText.indexed(feedback.workflow()));
      s.setString(4, StoredText.indexed(feedback.workflowVersion()));
      s.setInt(5, feedback.rating());
      s.setString(6, StoredText.indexed(feedback.comment()));
      s.setLong(7, Times.toNanos(feedback.at()));
      s.executeUpdate();
    }
    return existed;
  }

  List<Feedback> feedback(Connection c, String workflow, RunId runId, int limit)
      throws SQLException {
    String where = workflow != null ? "workflow = ?" : "run_id = ?";
    String sql =
        "SELECT "
            + FEEDBACK_COLUMNS
            + " FROM run_feedback WHERE "
            + where
            + " ORDER BY given_at DESC, "
            + ordered("run_id")
            + " DESC, "
            + ordered("given_by")
            + " DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, workflow != null ? workflow : runId.value());
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Feedback> feedback = new ArrayList<>();
        while (rs.next()) {
          feedback.add(
              new Feedback(
                  RunId.of(rs.getString(1)),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getString(2),
                  Times.fromNanos(rs.getLong(7))));
        }
        return feedback;
      }
    }
  }

  // ---- evaluations ----

  void insertEvaluation(Connection c, EvaluationRecord record) throws SQLException {
    long seq = nextSeq(c, "evaluation_results");
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO evaluation_results (seq, "
                + EVALUATION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, seq);
      s.setString(2, StoredText.indexed(record.workflow()));
      s.setString(3, StoredText.indexed(record.version()));
      s.setString(4, StoredText.indexed(record.suite()));
      s.setInt(5, record.total());
      s.setInt(6, record.passed());
      s.setLong(7, Times.toNanos(record.at()));
      s.setString(8, StoredText.indexed(record.by()));
      s.executeUpdate();
    }
  }

  List<EvaluationRecord> evaluations(Connection c, String workflow, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + EVALUATION_COLUMNS
                + " FROM evaluation_results WHERE workflow = ? ORDER BY seq DESC LIMIT ?")) {
      s.setString(1, workflow);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<EvaluationRecord> records = new ArrayList<>();
        while (rs.next()) {
          records.add(
              new EvaluationRecord(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getInt(5),
                  Times.fromNanos(rs.getLong(6)),
                  rs.getString(7)));
        }
        return records;
      }
    }
  }

  // ---- mode changes ----

  /**
   * Locks the log for writes: the first lock a mode change takes, so that reading the latest change
   * and appending the next cannot interleave with another change.
   */
  void lockModeChanges(Connection c) throws SQLException {
    dialect.lockTableForWrites(c, "mode_changes");
  }

  /** Appends {@code change} with the next number (the log must be locked); returns the number. */
  long insertChange(Connection c, ModeChange.Request request, Optional<ModeChange> previous)
      throws SQLException {
    long seq = lastSeq(c, "mode_changes") + 1;
    ModeChange change = request.after(seq, previous);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO mode_changes ("
                + CHANGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, seq);
      s.setString(2, StoredText.indexed(change.workflow()));
      s.setString(3, change.from().map(Mode::name).orElse(""));
      s.setString(4, change.to().name());
      s.setString(5, StoredText.indexed(change.by()));
      s.setString(6, StoredText.indexed(change.reason()));
      s.setInt(7, change.forced() ? 1 : 0);
      s.setString(8, StoredText.indexed(change.evidence()));
      s.setLong(9, Times.toNanos(change.at()));
      s.executeUpdate();
    }
    return seq;
  }

  List<ModeChange> changes(Connection c, String workflow, int limit) throws SQLException {
    String sql =
        "SELECT "
            + CHANGE_COLUMNS
            + " FROM mode_changes"
            + (workflow == null ? "" : " WHERE workflow = ?")
            + " ORDER BY seq DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      if (workflow != null) {
        s.setString(i++, workflow);
      }
      s.setInt(i, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<ModeChange> changes = new ArrayList<>();
        while (rs.next()) {
          String from = rs.getString(3);
          changes.add(
              new ModeChange(
                  rs.getLong(1),
                  rs.getString(2),
                  from.isEmpty() ? Optional.empty() : Optional.of(mode(from)),
                  mode(rs.getString(4)),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getInt(7) == 1,
                  rs.getString(8),
                  Times.fromNanos(rs.getLong(9))));
        }
        return changes;
      }
    }
  }

  /** The next number of a log table; the caller holds its write lock. */
  private long nextSeq(Connection c, String table) throws SQLException {
    dialect.lockTableForWrites(c, table);
    return lastSeq(c, table) + 1;
  }

  private static long lastSeq(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT MAX(seq) FROM " + table);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static Mode mode(String stored) {
    try {
      return Mode.valueOf(stored);
    } catch (IllegalArgumentException e) {
      throw new BridleException(
          "mode_changes holds unknown mode '"
              + stored
              + "' (written by a newer Bridle?); known: SHADOW, PROPOSE, SUPERVISED, AUTONOMOUS",
          e);
    }
  }
}
