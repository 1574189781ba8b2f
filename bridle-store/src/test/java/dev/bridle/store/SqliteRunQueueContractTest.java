package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on SQLite: two nodes are two stores opened on one file. */
class SqliteRunQueueContractTest extends RunQueueContract {

  @TempDir Path directory;

  private String url() {
    return "sqlite:" + directory.resolve("store/bridle.db");
  }

  @Override
  protected RunQueue openQueue() {
    return RunStores.openQueue(url());
  }

  @Override
  protected RunQueue openAnotherNode() {
    return RunStores.openQueue(url());
  }

  @Test
  void theLeaseIsKeptInTheRunIndexRowAsNanoseconds() throws SQLException {
    RunId run = submit("run-1", 1);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store/bridle.db"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT lease_owner, lease_expires_at, lease_epoch FROM runs WHERE run_id = '"
                    + run
                    + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("node-a");
      assertThat(rs.getLong(2)).isEqualTo(Times.toNanos(lease.expiresAt()));
      assertThat(rs.getLong(3)).isEqualTo(1);
    }
    queue.release(lease);
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store/bridle.db"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT lease_owner, lease_expires_at, lease_epoch FROM runs")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isNull();
      assertThat(rs.getObject(2)).isNull();
      assertThat(rs.getLong(3)).isEqualTo(1);
    }
  }

  @Test
  void aClosedQueueFailsWithStoreUnavailable() {
    submit("run-1", 1);
    RunStore store = queue.store();
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    store.close();

    assertThatThrownBy(() -> queue.claim("node-a", WORKFLOWS, at(10), LEASE))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is closed: claiming a run of support-triage for node node-a");
    assertThatThrownBy(() -> queue.renew(lease, at(11), LEASE))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> queue.release(lease)).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void anUnsupportedUrlIsAConfigurationError() {
    assertThatThrownBy(() -> RunStores.openQueue("mysql://root:hunter2@db/bridle"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RunStores.openQueue(" ")).isInstanceOf(ConfigurationException.class);
  }
}
