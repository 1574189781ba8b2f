package dev.bridle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The JDBC token store on a SQLite file the run store created (its V4 migration). */
class JdbcTokenStoreTest extends TokenStoreContract {

  @TempDir Path dir;
  private final List<RunStore> opened = new ArrayList<>();
  private SQLiteDataSource dataSource;

  @Override
  protected TokenStore store() {
    Path db = dir.resolve("bridle-" + opened.size() + ".db");
    opened.add(RunStores.open("sqlite:" + db));
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5_000);
    dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + db);
    return new JdbcTokenStore(dataSource, clock);
  }

  @AfterEach
  void close() {
    opened.forEach(RunStore::close);
  }

  @Test
  void theTableHoldsTheHashOfTheSecretAndNeverTheSecret() throws Exception {
    TokenStore tokens = store();
    IssuedToken issued = tokens.issue("erin", Role.ADMIN);

    List<String> cells = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM api_tokens")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          cells.add(String.valueOf(rs.getString(i)));
        }
      }
    }
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(issued.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(cells).contains(hash, "erin", "ADMIN", issued.token().id());
    assertThat(String.join(" ", cells))
        .doesNotContain(issued.secret())
        .doesNotContain(issued.secret().substring(4));
  }

  @Test
  void twoStoresOnOneDatabaseShareTokensAndRevocations() {
    TokenStore first = store();
    TokenStore second = new JdbcTokenStore(dataSource, clock);
    IssuedToken issued = first.issue("erin", Role.OPERATOR);

    assertThat(second.authenticate(issued.secret())).isPresent();
    first.revoke(issued.token().id());
    assertThat(second.authenticate(issued.secret())).isEmpty();
  }
}
