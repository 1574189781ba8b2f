package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.cost.SpendStore;
import dev.bridle.core.journal.RunStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spend store contract on SQLite: two nodes are two stores opened on one file. */
class SqliteSpendStoreContractTest extends JdbcSpendStoreContract {

  @TempDir Path directory;

  private String url() {
    return "sqlite:" + directory.resolve("store/bridle.db");
  }

  @Override
  protected RunStore openRunStore() {
    return RunStores.open(url());
  }

  @Test
  void totalsOutliveTheProcessThatWroteThem() {
    spending.add(ALICE, NOVEMBER, spend(42, "0.000000075"));
    closeAll();

    try (RunStore reopened = RunStores.open(url())) {
      SpendStore again = RunStores.spendStore(reopened);
      assertThat(again.total(ALICE, NOVEMBER)).isEqualTo(spend(42, "0.000000075"));
      assertThat(again.toString()).isEqualTo("SpendStore[" + url() + "]");
    }
  }

  @Test
  void dollarsAreStoredAsTheDecimalsPlainTextNotAsAFloat() throws SQLException {
    spending.add(ALICE, NOVEMBER, spend(1, "0.000000075"));
    spending.add(ALICE, NOVEMBER, spend(1, "0.1"));

    try (RunStore store = track(RunStores.open(url()))) {
      DataSource reads = RunStores.dataSource(store).orElseThrow();
      try (Connection c = reads.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT typeof(usd), usd, tokens, scope_period FROM spend_totals")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("text");
        assertThat(rs.getString(2)).isEqualTo("0.100000075");
        assertThat(rs.getLong(3)).isEqualTo(2);
        assertThat(rs.getString(4)).isEqualTo("USER_MONTH");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
