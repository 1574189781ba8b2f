package dev.bridle.store;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.journal.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The statements over the lease columns of the run index ({@code V2__leases.sql}), shared by SQLite
 * and PostgreSQL; each runs inside a write transaction.
 *
 * <p>A run is claimable when it is {@code QUEUED} with no lease or an expired one, or {@code
 * RUNNING}, claimed before (epoch above 0) and now without a live lease: its node died, or gave it
 * up after an interruption. A {@code RUNNING} run never claimed (epoch 0) was started outside the
 * queue and is never claimed; suspended, killed and ended runs neither. A suspended run becomes
 * {@code QUEUED} when its decision is recorded (core's {@code RunStatus.after}), and its node
 * released the lease when it suspended, so the next claim of its workflow takes it, on any node.
 */
final class LeaseRows {

  /** A run just claimed, and its new epoch. */
  record Claimed(RunId runId, long epoch) {}

  private static final String CLAIMABLE =
      "((status = 'QUEUED' AND (lease_owner IS NULL OR lease_expires_at <= ?))"
          + " OR (status = 'RUNNING' AND lease_epoch > 0"
          + " AND (lease_owner IS NULL OR lease_expires_at <= ?)))";

  /**
   * The statuses of runs that have not ended, which {@code bridle resume} may claim: also a {@code
   * SUSPENDED} run (its decision is recorded) and a {@code KILLED} one (after a revive).
   */
  private static final String NOT_ENDED = RunRows.statuses(status -> !status.isTerminal());

  private static final String TAKE =
      "UPDATE runs SET lease_owner = ?, lease_expires_at = ?, lease_epoch = ?"
          + " WHERE run_id = ? AND lease_epoch = ?";

  private static final String RENEW =
      "UPDATE runs SET lease_expires_at = ?"
          + " WHERE run_id = ? AND lease_epoch = ? AND lease_owner = ?";

  private static final String RELEASE =
      "UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL"
          + " WHERE run_id = ? AND lease_epoch = ? AND lease_owner = ?";

  private final Dialect dialect;

  LeaseRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Claims the oldest claimable run of one of {@code workflows} for {@code nodeId}: selects it
   * locked, passing over runs that other transactions hold (PostgreSQL's {@code SKIP LOCKED}; on
   * SQLite the transaction holds the database), then raises its epoch and sets the lease.
   *
   * @param workflows not empty
   */
  Optional<Claimed> claim(
      Connection c, String nodeId, List<String> workflows, long nowNanos, long expiresAtNanos)
      throws SQLException {
    String sql =
        "SELECT run_id, lease_epoch FROM runs WHERE workflow IN ("
            + String.join(", ", Collections.nCopies(workflows.size(), "?"))
            + ") AND "
            + CLAIMABLE
            + " ORDER BY created_at, "
            + dialect.runIdOrder()
            + " LIMIT 1"
            + dialect.lockRowSkipLocked();
    RunId runId;
    long epoch;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      for (String workflow : workflows) {
        s.setString(i++, StoredText.indexed(workflow));
      }
      s.setLong(i++, nowNanos);
      s.setLong(i, nowNanos);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        runId = RunId.of(rs.getString(1));
        epoch = rs.getLong(2);
      }
    }
    return Optional.of(take(c, runId, nodeId, epoch, expiresAtNanos));
  }

  /**
   * Claims one given run that has not ended and holds no live lease (any epoch: also a run started
   * outside the queue), for a writer outside the workers such as {@code bridle resume}.
   */
  Optional<Claimed> claimRun(
      Connection c, RunId runId, String nodeId, long nowNanos, long expiresAtNanos)
      throws SQLException {
    String sql =
        "SELECT lease_epoch FROM runs WHERE run_id = ?"
            + " AND status IN ("
            + NOT_ENDED
            + ")"
            + " AND (lease_owner IS NULL OR lease_expires_at <= ?)"
            + dialect.lockRow();
    long epoch;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, runId.value());
      s.setLong(2, nowNanos);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        epoch = rs.getLong(1);
      }
    }
    return Optional.of(take(c, runId, nodeId, epoch, expiresAtNanos));
  }

  /** Gives the locked run at {@code epoch} to {@code nodeId} at the next epoch. */
  private static Claimed take(
      Connection c, RunId runId, String nodeId, long epoch, long expiresAtNanos)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TAKE)) {
      s.setString(1, StoredText.indexed(nodeId));
      s.setLong(2, expiresAtNanos);
      s.setLong(3, epoch + 1);
      s.setString(4, runId.value());
      s.setLong(5, epoch);
      if (s.executeUpdate() != 1) {
        // the row is locked (or the database is), so its epoch cannot have moved
        throw new IllegalStateException("run " + runId + " changed while it was being claimed");
      }
    }
    return new Claimed(runId, epoch + 1);
  }

  /** Sets the lease's expiry if the run is still at its epoch and owner; false if not. */
  boolean renew(Connection c, Lease lease, long expiresAtNanos) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RENEW)) {
      s.setLong(1, expiresAtNanos);
      s.setString(2, lease.runId().value());
      s.setLong(3, lease.epoch());
      s.setString(4, StoredText.indexed(lease.nodeId()));
      return s.executeUpdate() == 1;
    }
  }

  /** Clears the lease, keeping the epoch, if the run is still at its epoch and owner. */
  boolean release(Connection c, Lease lease) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RELEASE)) {
      s.setString(1, lease.runId().value());
      s.setLong(2, lease.epoch());
      s.setString(3, StoredText.indexed(lease.nodeId()));
      return s.executeUpdate() == 1;
    }
  }
}
