package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunStores#dataSource}: the SQLite store's read pool, for a component with tables of its
 * own in the same file (the server's API tokens), with the busy timeout that makes its writes wait
 * for the store's writer instead of failing at once.
 */
class SqliteDataSourceTest {

  @TempDir Path directory;

  @Test
  void theReadPoolWaitsForTheWriterUpToTheStoresBusyTimeout() throws SQLException {
    try (RunStore store = RunStores.open("sqlite:" + directory.resolve("bridle.db"))) {
      DataSource reads = RunStores.dataSource(store).orElseThrow();

      assertThat(pragma(reads, "busy_timeout")).isEqualTo("5000");
      assertThat(pragma(reads, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(reads, "foreign_keys")).isEqualTo("1");
    }
  }

  @Test
  void theBusyTimeoutIsTheOneTheUrlSets() throws SQLException {
    String url = "sqlite:" + directory.resolve("bridle.db") + "?busy-timeout-ms=1234";
    try (RunStore store = RunStores.open(url)) {
      assertThat(pragma(RunStores.dataSource(store).orElseThrow(), "busy_timeout"))
          .isEqualTo("1234");
    }
  }

  @Test
  void aWriteThroughThePoolIsSeenByTheStoresOtherReadersAndSurvivesReopening() throws SQLException {
    String url = "sqlite:" + directory.resolve("bridle.db");
    try (RunStore store = RunStores.open(url)) {
      DataSource reads = RunStores.dataSource(store).orElseThrow();
      try (Connection c = reads.getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO api_tokens (token_id, token_hash, principal, role, created_at)"
                + " VALUES ('tok_0000000000000001', 'ab', 'ops:lee', 'admin', 1)");
      }
    }
    try (RunStore store = RunStores.open(url);
        Connection c = RunStores.dataSource(store).orElseThrow().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT principal FROM api_tokens")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ops:lee");
    }
  }

  @Test
  void theStoreOwnsThePoolAndAnInMemoryStoreHasNone() throws SQLException {
    RunStore store = RunStores.open("sqlite:" + directory.resolve("bridle.db"));
    DataSource reads = RunStores.dataSource(store).orElseThrow();
    store.close();

    assertThatThrownBy(reads::getConnection).isInstanceOf(SQLException.class);
    assertThat(RunStores.dataSource(new InMemoryRunStore())).isEmpty();
  }

  private static String pragma(DataSource source, String name) throws SQLException {
    try (Connection c = source.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
