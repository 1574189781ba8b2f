package dev.bridle.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The statements over {@code rate_buckets} ({@code V5__budgets_and_rates.sql}), shared by SQLite
 * and PostgreSQL: a read of a bucket's state with its version, and the two writes of a
 * compare-and-swap, each of which applies only if nobody wrote the bucket since it was read. Keys
 * are stored like the run index's text ({@link StoredText#indexed}).
 */
final class RateBucketRows {

  /** A bucket's stored state and the version it was read at. */
  record Stored(byte[] state, long version) {}

  private static final String SELECT =
      "SELECT state, version FROM rate_buckets WHERE bucket_key = ?";

  private static final String CREATE =
      "INSERT INTO rate_buckets (bucket_key, state, version) VALUES (?, ?, 1)"
          + " ON CONFLICT (bucket_key) DO NOTHING";

  private static final String SWAP =
      "UPDATE rate_buckets SET state = ?, version = version + 1"
          + " WHERE bucket_key = ? AND version = ?";

  private static final String DELETE = "DELETE FROM rate_buckets WHERE bucket_key = ?";

  Optional<Stored> find(Connection c, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT)) {
      s.setString(1, StoredText.indexed(key));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Stored(rs.getBytes(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /** Creates the bucket; false if another writer created it first. */
  boolean create(Connection c, String key, byte[] state) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CREATE)) {
      s.setString(1, StoredText.indexed(key));
      s.setBytes(2, state);
      return s.executeUpdate() == 1;
    }
  }

  /** Replaces the bucket's state; false if it is no longer at {@code readVersion}. */
  boolean swap(Connection c, String key, long readVersion, byte[] state) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SWAP)) {
      s.setBytes(1, state);
      s.setString(2, StoredText.indexed(key));
      s.setLong(3, readVersion);
      return s.executeUpdate() == 1;
    }
  }

  void delete(Connection c, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DELETE)) {
      s.setString(1, StoredText.indexed(key));
      s.executeUpdate();
    }
  }
}
