package dev.bridle.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where the writer threads get their connections. */
interface WriteConnections extends AutoCloseable {

  Connection acquire() throws SQLException;

  /** Gives the connection back; a {@code broken} one is closed and replaced next time. */
  void release(Connection connection, boolean broken);

  /**
   * Fails if what was written through {@code connection} would not last; checked after a
   * transaction began and after it committed.
   */
  default void verify(Connection connection) throws SQLException {}

  @Override
  void close();

  /**
   * SQLite: one connection, kept open, used by the single writer thread (SQLite has one writer at a
   * time per database; more connections would only wait for each other's locks).
   *
   * <p>It also checks that {@code file} is still the file it opened. SQLite in WAL mode goes on
   * writing into a database file that was deleted (or replaced) while open, and everything written
   * after that is lost when the connection closes: a silent loss this check turns into a failure.
   */
  static WriteConnections single(DataSource source, Path file) {
    return new WriteConnections() {
      private Connection connection;
      private Object fileKey;

      @Override
      public void verify(Connection connection) throws SQLException {
        Object now = fileKey(file);
        if (fileKey != null && !fileKey.equals(now)) {
          throw new SQLException(
              "database file "
                  + file
                  + " was deleted or replaced while the store had it open; what is written to it"
                  + " now would be lost. Reopen the store",
              "08006");
        }
      }

      @Override
      public synchronized Connection acquire() throws SQLException {
        if (connection == null) {
          connection = source.getConnection();
          if (fileKey == null) {
            fileKey = fileKey(file);
          }
        }
        return connection;
      }

      @Override
      public synchronized void release(Connection released, boolean broken) {
        if (broken && connection == released) {
          closeQuietly(connection);
          connection = null;
        }
      }

      @Override
      public synchronized void close() {
        if (connection != null) {
          closeQuietly(connection);
          connection = null;
        }
      }
    };
  }

  /** PostgreSQL: connections from the store's pool, one per transaction. */
  static WriteConnections pooled(HikariDataSource pool) {
    return new WriteConnections() {
      @Override
      public Connection acquire() throws SQLException {
        return pool.getConnection();
      }

      @Override
      public void release(Connection connection, boolean broken) {
        if (broken) {
          pool.evictConnection(connection);
        } else {
          closeQuietly(connection);
        }
      }

      @Override
      public void close() {}
    };
  }

  /** The file's identity (device and inode where the platform has them), or null if it is gone. */
  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is being discarded: nothing more to do with it
    }
  }
}
