package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.control.KillSwitch.Scope;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kill switch contract on a real PostgreSQL (embedded binaries), one server for the class: two
 * nodes are two stores, each with its own pool and writer threads.
 */
class PostgresKillSwitchContractTest extends KillSwitchStoreContract {

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
  protected KillSwitchStore open(Clock clock) throws SQLException {
    KillSwitchStore switches =
        new JdbcKillSwitch(RunStores.open(url(), GroupCommitWriter.MAX_BATCH), clock, true);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE kill_switches, kill_switch_log");
    }
    return switches;
  }

  @Override
  protected KillSwitchStore openAnotherNode(Clock clock) {
    return new JdbcKillSwitch(RunStores.open(url(), GroupCommitWriter.MAX_BATCH), clock, true);
  }

  @Test
  void theSwitchIsARowWithItsTimeInNanoseconds() throws SQLException {
    clock.set(Events.at(3));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop");

    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT scope, target, killed_by, reason, killed_at FROM kill_switches")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("WORKFLOW");
      assertThat(rs.getString(2)).isEqualTo(REFUNDS);
      assertThat(rs.getString(3)).isEqualTo("ops:lee");
      assertThat(rs.getString(4)).isEqualTo("refund loop");
      assertThat(rs.getLong(5)).isEqualTo(Times.toNanos(Events.at(3)));
      assertThat(rs.next()).isFalse();
    }
  }
}
