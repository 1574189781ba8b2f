package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spend store contract on a real PostgreSQL (embedded binaries), one server for the class: two
 * nodes are two stores, each with its own pool and writer threads.
 */
class PostgresSpendStoreContractTest extends JdbcSpendStoreContract {

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

  private static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
  }

  /** Opens (migrating on the first test); the first of a test empties the table. */
  @Override
  protected RunStore openRunStore() throws SQLException {
    RunStore store = RunStores.open(url());
    if (!emptied) {
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("TRUNCATE spend_totals");
      }
      emptied = true;
    }
    return store;
  }

  @Test
  void dollarsAreANumericColumnThatKeepsEveryDigit() throws SQLException {
    spending.add(ALICE, NOVEMBER, spend(1, "0.000000075"));
    spending.add(ALICE, NOVEMBER, spend(1, "0.10"));

    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT pg_typeof(usd)::text, usd::text, tokens FROM spend_totals")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("numeric");
      assertThat(rs.getString(2)).isEqualTo("0.100000075");
      assertThat(rs.getLong(3)).isEqualTo(2);
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void theStoresDataSourceReadsTheSameDatabase() throws Exception {
    spending.add(ALICE, NOVEMBER, spend(5, "0.5"));
    RunStore store = openAnotherNode();

    DataSource reads = RunStores.dataSource(store).orElseThrow();
    try (Connection c = reads.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tokens FROM spend_totals")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(5);
    }
    assertThat(RunStores.dataSource(new InMemoryRunStore())).isEmpty();
  }
}
