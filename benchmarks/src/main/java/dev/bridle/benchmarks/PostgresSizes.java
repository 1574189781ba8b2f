package dev.bridle.benchmarks;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * How much Bridle's journal takes in a PostgreSQL database: {@code pg_total_relation_size} of the
 * {@code events}, {@code runs} and {@code snapshots} tables (with indexes, TOAST and page slack)
 * and {@code sum(pg_column_size(row))} of their rows (the data alone), as the peer harness measures
 * LangGraph's checkpoint tables.
 */
final class PostgresSizes {

  private static final String TABLES = "'events', 'runs', 'snapshots'";

  private final String jdbcUrl;
  private final Properties properties;

  private PostgresSizes(String jdbcUrl, Properties properties) {
    this.jdbcUrl = jdbcUrl;
    this.properties = properties;
  }

  /** For a Bridle store URL {@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?...]}. */
  static PostgresSizes of(String storeUrl) {
    URI uri = URI.create(storeUrl.replaceFirst("^jdbc:", ""));
    Properties properties = new Properties();
    if (uri.getUserInfo() != null) {
      String[] user = uri.getUserInfo().split(":", 2);
      properties.setProperty("user", user[0]);
      if (user.length > 1) {
        properties.setProperty("password", user[1]);
      }
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    return new PostgresSizes(
        "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath(), properties);
  }

  /** Sizes at one moment. */
  record Sample(long diskBytes, long rowBytes, long eventRowBytes, long events) {}

  Sample sample() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      long disk =
          single(
              statement,
              "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                  + " JOIN pg_namespace s ON s.oid = c.relnamespace"
                  + " WHERE s.nspname = current_schema() AND c.relname IN ("
                  + TABLES
                  + ")");
      long eventRows =
          single(statement, "SELECT coalesce(sum(pg_column_size(x.*)), 0) FROM events x");
      long runRows = single(statement, "SELECT coalesce(sum(pg_column_size(x.*)), 0) FROM runs x");
      long snapshotRows =
          single(statement, "SELECT coalesce(sum(pg_column_size(x.*)), 0) FROM snapshots x");
      long events = single(statement, "SELECT count(*) FROM events");
      return new Sample(disk, eventRows + runRows + snapshotRows, eventRows, events);
    } catch (SQLException e) {
      throw new IllegalStateException("measuring table sizes failed: " + e.getMessage(), e);
    }
  }

  /** Empties Bridle's tables (the database must be a benchmark database). */
  void truncate() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      boolean exists =
          single(
                  statement,
                  "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
                      + " WHERE s.nspname = current_schema() AND c.relname = 'runs'")
              > 0;
      if (exists) {
        statement.execute("TRUNCATE runs, events, snapshots CASCADE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("truncating Bridle's tables failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code sql} (VACUUM, CHECKPOINT, ...) on its own connection. */
  void execute(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
