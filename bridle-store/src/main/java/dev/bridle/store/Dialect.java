package dev.bridle.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Set;
import org.sqlite.SQLiteException;

/**
 * What differs between SQLite and PostgreSQL: transaction control, row locks, ordering of text, and
 * which errors mean "the store is unavailable". The schema and the other statements are shared.
 */
enum Dialect {
  SQLITE {
    /**
     * {@code BEGIN IMMEDIATE} takes SQLite's write lock at once (waiting up to the busy timeout),
     * so the read of the run's last sequence number and the writes after it see no other writer, in
     * this process or another. Explicit statements rather than {@code setAutoCommit(false)}: the
     * driver would begin the next transaction right after each commit and hold the write lock.
     */
    @Override
    void begin(Connection connection) throws SQLException {
      execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    void commit(Connection connection) throws SQLException {
      execute(connection, "COMMIT");
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      execute(connection, "ROLLBACK");
    }

    @Override
    void end(Connection connection) {}

    @Override
    String lockRow() {
      return "";
    }

    @Override
    String runIdIn(int count) {
      return "run_id IN (" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }

    @Override
    void bindRunIds(PreparedStatement statement, String[] runIds) throws SQLException {
      for (int i = 0; i < runIds.length; i++) {
        statement.setString(i + 1, runIds[i]);
      }
    }

    /** The database is in the process: a batch would save no round trip. */
    @Override
    boolean batchesStatements() {
      return false;
    }

    /** Nothing to skip: a transaction holds SQLite's only write lock, so no row is locked. */
    @Override
    String lockRowSkipLocked() {
      return "";
    }

    /** Nothing to do: {@code BEGIN IMMEDIATE} took SQLite's only write lock. */
    @Override
    void lockTableForWrites(Connection connection, String table) {}

    @Override
    String runIdOrder() {
      return "run_id";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return e instanceof SQLiteException s
          && (s.getResultCode().code == PRIMARY_KEY_VIOLATION
              || s.getResultCode().code == UNIQUE_VIOLATION);
    }

    @Override
    boolean isUnavailable(SQLException e) {
      if (e instanceof SQLiteException s) {
        return !LOGIC_ERRORS.contains(s.getResultCode().code & 0xff);
      }
      return true;
    }
  },

  POSTGRESQL {
    @Override
    void begin(Connection connection) throws SQLException {
      connection.setAutoCommit(false);
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
    }

    @Override
    void end(Connection connection) throws SQLException {
      connection.setAutoCommit(true);
    }

    @Override
    String lockRow() {
      return " FOR UPDATE";
    }

    @Override
    String lockRowSkipLocked() {
      return " FOR UPDATE SKIP LOCKED";
    }

    /** A mode that conflicts with itself and with every write, and lets plain reads through. */
    @Override
    void lockTableForWrites(Connection connection, String table) throws SQLException {
      execute(connection, "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
    }

    /** One statement text whatever the count, so the server keeps it prepared. */
    @Override
    String runIdIn(int count) {
      return "run_id = ANY (?)";
    }

    @Override
    void bindRunIds(PreparedStatement statement, String[] runIds) throws SQLException {
      statement.setArray(1, statement.getConnection().createArrayOf("text", runIds));
    }

    @Override
    boolean batchesStatements() {
      return true;
    }

    /** Run ids are ASCII; order them by code point like core does, whatever the collation. */
    @Override
    String runIdOrder() {
      return "run_id COLLATE \"C\"";
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    @Override
    boolean isUnavailable(SQLException e) {
      if (e instanceof SQLTransientException
          || e instanceof SQLRecoverableException
          || e instanceof SQLNonTransientConnectionException) {
        return true;
      }
      String state = e.getSQLState();
      if (state == null || state.length() < 2) {
        return true;
      }
      return UNAVAILABLE_CLASSES.contains(state.substring(0, 2))
          || state.equals("55P03")
          || state.equals("25006");
    }
  };

  /** SQLite's extended result codes for a primary key and a unique constraint violation. */
  private static final int PRIMARY_KEY_VIOLATION = 1555;

  private static final int UNIQUE_VIOLATION = 2067;

  /**
   * SQLite result codes (primary) that mean the statement or the data is wrong, not the database:
   * ERROR (syntax, missing table), TOOBIG, CONSTRAINT, MISMATCH, MISUSE, RANGE. Everything else
   * (BUSY, LOCKED, IOERR, FULL, CANTOPEN, READONLY, CORRUPT, NOTADB, NOMEM, ...) is unavailability.
   */
  private static final Set<Integer> LOGIC_ERRORS = Set.of(1, 18, 19, 20, 21, 25);

  /**
   * PostgreSQL SQLSTATE classes that mean unavailability: connection exception, transaction
   * rollback (serialization failure, deadlock), insufficient resources (disk full, out of memory,
   * too many connections), operator intervention (shutdown), system error, internal error.
   */
  private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "40", "53", "57", "58", "XX");

  /** Starts a write transaction. */
  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** Puts the connection back in auto-commit mode after a transaction. */
  abstract void end(Connection connection) throws SQLException;

  /** The clause that locks a selected row until the transaction ends ({@code ""} if none). */
  abstract String lockRow();

  /**
   * The clause that locks the selected rows and passes over those another transaction has locked
   * ({@code ""} if the database has no row locks), for claiming one of many rows.
   */
  abstract String lockRowSkipLocked();

  /**
   * Makes the transaction on {@code connection} the only one writing {@code table} until it ends;
   * readers are not held up. For a table whose rows are numbered by the writer.
   */
  abstract void lockTableForWrites(Connection connection, String table) throws SQLException;

  /** A condition on {@code run_id} that matches {@code count} run ids, as parameters. */
  abstract String runIdIn(int count);

  /** Binds the run ids of {@link #runIdIn} from the statement's first parameter on. */
  abstract void bindRunIds(PreparedStatement statement, String[] runIds) throws SQLException;

  /** Whether a JDBC batch of statements saves round trips to the database. */
  abstract boolean batchesStatements();

  /** The {@code ORDER BY} term for run ids in code-point order. */
  abstract String runIdOrder();

  /**
   * Whether the database rolled the transaction back on {@code e} to break a deadlock or a
   * serialization conflict, so that running it again can succeed.
   */
  boolean isRetryable(SQLException e) {
    return this == POSTGRESQL && e.getSQLState() != null && e.getSQLState().startsWith("40");
  }

  /** Whether {@code e} is a primary key or unique constraint violation. */
  abstract boolean isUniqueViolation(SQLException e);

  /**
   * Whether {@code e} says the store is unreachable or cannot take the write now (rather than that
   * the statement or the data is wrong).
   */
  abstract boolean isUnavailable(SQLException e);

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
