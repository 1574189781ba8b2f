package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.Usage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL (embedded binaries), one server for the class. */
class PostgresRunStoreContractTest extends RunStoreContract {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
  }

  /** Opens (migrating on the first test), then empties the tables. */
  @Override
  protected RunStore openStore() throws SQLException {
    RunStore store = RunStores.open(url());
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE events, snapshots, runs");
    }
    return store;
  }

  @Test
  void theUserAndPasswordFormOpensTheSameDatabase() {
    RunId run = RunId.of("run-url-form");
    store.append(run, 0, Events.started(at(0)));

    try (RunStore other =
        RunStores.open(
            "postgresql://postgres:s3cret@localhost:"
                + postgres.getPort()
                + "/postgres?max-pool-size=2&sslmode=disable")) {
      assertThat(other.read(run)).hasSize(1);
      assertThat(other.toString()).contains("postgres:***@localhost").doesNotContain("s3cret");
    }
  }

  /**
   * Measures what a typical step costs on disk: the body as text (what the store keeps) against
   * jsonb, with {@code pg_column_size}, and the whole row.
   */
  @Test
  void aTypicalStepIsStoredInAFewHundredBytes() throws SQLException {
    RunId run = RunId.of("run-" + "0".repeat(8) + "-1111-2222-3333-444444444444");
    List<RunEvent> step =
        List.of(
            Events.responded(at(1), 1, new Usage(1843, 212, 1024)),
            new RunEvent.ToolCallProposed(
                at(2), 1, "call_1", "get_ticket", "{\"ticketId\":\"T-1042\"}"),
            new RunEvent.ToolCallStarted(
                at(3),
                "call_1",
                "get_ticket",
                dev.bridle.core.tool.Effect.READ,
                true,
                run + "/call_1",
                "{\"ticketId\":\"T-1042\"}"),
            new RunEvent.ToolCallCompleted(
                at(4),
                "call_1",
                "get_ticket",
                RunEvent.CallStatus.SUCCEEDED,
                "{\"id\":\"T-1042\",\"subject\":\"Invoice charged twice\",\"priority\":\"normal\","
                    + "\"body\":\"Hello, I was charged twice for my March invoice. Please help.\"}",
                37));
    store.append(run, 0, Events.started(at(0)));
    for (int i = 0; i < step.size(); i++) {
      store.append(run, i + 1, step.get(i));
    }

    long text = 0;
    long jsonb = 0;
    long rows = 0;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_column_size(body), pg_column_size(body::jsonb), pg_column_size(e.*)"
                    + " FROM events e WHERE run_id = ? AND seq > 1")) {
      s.setString(1, run.value());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          text += rs.getLong(1);
          jsonb += rs.getLong(2);
          rows += rs.getLong(3);
        }
      }
    }
    long json = step.stream().mapToLong(e -> EventCodec.encode(e).length()).sum();
    System.out.printf(
        "a step of %d events: JSON %d chars; body as text %d bytes, as jsonb %d bytes;"
            + " rows %d bytes (plus about 28 bytes of tuple header each)%n",
        step.size(), json, text, jsonb, rows);
    assertThat(text).as("text is not larger than jsonb").isLessThanOrEqualTo(jsonb);
    assertThat(rows).isLessThan(2_000);
  }
}
