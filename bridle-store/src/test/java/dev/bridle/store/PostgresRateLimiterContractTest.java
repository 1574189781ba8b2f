package dev.bridle.store;

import dev.bridle.core.journal.RunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The rate limiter contract on a real PostgreSQL (embedded binaries), one server for the class: two
 * nodes are two stores, each with its own pool and writer threads.
 */
class PostgresRateLimiterContractTest extends JdbcRateLimiterContract {

  private static EmbeddedPostgres postgres;
  private boolean emptied;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  /** Opens (migrating on the first test); the first of a test empties the table. */
  @Override
  protected RunStore openRunStore() throws SQLException {
    RunStore store =
        RunStores.open(
            "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres");
    if (!emptied) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("TRUNCATE rate_buckets");
      }
      emptied = true;
    }
    return store;
  }
}
