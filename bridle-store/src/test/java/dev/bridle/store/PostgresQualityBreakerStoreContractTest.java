package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.control.QualityBreakerStore;
import dev.bridle.core.journal.RunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quality breaker store contract on a real PostgreSQL (embedded binaries), one server for the
 * class: two nodes are two stores, each with its own pool and writer threads.
 */
class PostgresQualityBreakerStoreContractTest extends QualityBreakerStoreContract {

  private static EmbeddedPostgres postgres;

  private final List<RunStore> opened = new ArrayList<>();

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
  protected QualityBreakerStore open(Clock clock) throws SQLException {
    QualityBreakerStore store = openAnotherNode(clock);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE quality_breakers, quality_samples, quality_breaker_log");
    }
    return store;
  }

  @Override
  protected QualityBreakerStore openAnotherNode(Clock clock) {
    JdbcRunStore store = RunStores.open(url(), GroupCommitWriter.MAX_BATCH);
    opened.add(store);
    return new JdbcQualityBreakerStore(store, clock);
  }

  @AfterEach
  void closeTheRunStores() {
    opened.forEach(RunStore::close);
  }

  @Test
  void theBreakerIsARowWithItsTimesInNanoseconds() throws SQLException {
    clock.set(Events.at(3));
    breakers.open(REFUNDS, "ops:lee", "INC-88");

    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT workflow, state, changed_by, reason, changed_at FROM quality_breakers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(REFUNDS);
      assertThat(rs.getString(2)).isEqualTo("OPEN");
      assertThat(rs.getString(3)).isEqualTo("ops:lee");
      assertThat(rs.getString(4)).isEqualTo("INC-88");
      assertThat(rs.getLong(5)).isEqualTo(Times.toNanos(Events.at(3)));
      assertThat(rs.next()).isFalse();
    }
  }
}
