package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.RunId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queue contract on a real PostgreSQL (embedded binaries), one server for the class: two nodes
 * are two stores, each with its own pool and writer threads.
 */
class PostgresRunQueueContractTest extends RunQueueContract {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
  }

  /** Opens (migrating on the first test), then empties the tables. */
  @Override
  protected RunQueue openQueue() throws SQLException {
    RunQueue queue = RunStores.openQueue(url());
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE events, snapshots, runs");
    }
    return queue;
  }

  @Override
  protected RunQueue openAnotherNode() {
    return RunStores.openQueue(url());
  }

  /**
   * A run whose row another transaction holds (an append under way, or another node's claim) is
   * passed over at once rather than waited for.
   */
  @Test
  void aClaimPassesOverARunAnotherTransactionHolds() throws SQLException {
    RunId held = submit("run-held", 1);
    RunId free = submit("run-free", 2);

    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement("SELECT run_id FROM runs WHERE run_id = ? FOR UPDATE")) {
        s.setString(1, held.value());
        s.executeQuery().close();
      }
      Instant started = Instant.now();
      Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

      assertThat(lease.runId()).isEqualTo(free);
      assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
      assertThat(other.claim("node-b", WORKFLOWS, at(10), LEASE)).isEmpty();
      c.rollback();
    }
    assertThat(other.claim("node-b", WORKFLOWS, at(10), LEASE)).map(Lease::runId).contains(held);
  }

  @Test
  void theLeaseIsKeptInTheRunIndexRowAsNanoseconds() throws SQLException {
    RunId run = submit("run-1", 1);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT lease_owner, lease_expires_at, lease_epoch FROM runs WHERE run_id = ?")) {
      s.setString(1, run.value());
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("node-a");
        assertThat(rs.getLong(2)).isEqualTo(Times.toNanos(lease.expiresAt()));
        assertThat(rs.getLong(3)).isEqualTo(1);
      }
    }
  }
}
