package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
   * A batch looks for its runs' index rows before it writes them; a new run's row created by
   * another transaction in between (here, committed while the batch waits for a lock) makes the
   * batch start again, so that each append is checked against the run as it really is.
   */
  @Test
  void aNewRunCreatedByAnotherWriterWhileABatchWaitsIsCheckedAgainstItsRealRow() throws Exception {
    RunId blocker = RunId.of("run-blocker");
    RunId held = RunId.of("run-held");
    RunId created = RunId.of("run-created");
    try (RunStore single = RunStores.open(url() + "&max-pool-size=2");
        Connection a = postgres.getPostgresDatabase().getConnection();
        Connection b = postgres.getPostgresDatabase().getConnection()) {
      single.append(blocker, 0, Events.started(at(0)));
      single.append(held, 0, Events.started(at(0)));
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      lock(a, blocker);
      lock(b, held);
      try (PreparedStatement s =
          b.prepareStatement(
              "INSERT INTO runs (run_id, status, created_at, updated_at, steps, input_tokens,"
                  + " output_tokens, cached_input_tokens, last_seq)"
                  + " VALUES (?, 'RUNNING', 0, 0, 0, 0, 0, 0, 1)")) {
        s.setString(1, created.value());
        s.executeUpdate();
      }
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        // batch 1 waits for a's lock; the next three queue up behind it, to be one batch
        Future<Long> first =
            threads.submit(
                () -> single.append(blocker, 1, new RunEvent.RunResumed(at(1), "batch-1")));
        Thread.sleep(300);
        Future<Long> creating =
            threads.submit(() -> single.append(created, 0, Events.started(at(2))));
        Future<Long> following =
            threads.submit(
                () -> single.append(created, 1, new RunEvent.RunResumed(at(3), "batch-2")));
        Future<Long> waiting =
            threads.submit(() -> single.append(held, 1, new RunEvent.RunResumed(at(4), "batch-2")));
        Thread.sleep(300);
        a.commit(); // batch 1 goes; batch 2 looks for its rows and waits for b's lock on held
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        Thread.sleep(300);
        b.commit(); // created now exists, with one event: the batch did not see it

        assertThatThrownBy(() -> creating.get(10, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(JournalConflictException.class)
            .hasMessageContaining("expected its last event to be #0 but it is #1");
        assertThat(following.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      } finally {
        threads.shutdownNow();
      }
      assertThat(single.find(created).orElseThrow().lastSeq()).isEqualTo(2);
      assertThat(single.readAfter(created, 0))
          .extracting(JournalEntry::event)
          .containsExactly(new RunEvent.RunResumed(at(3), "batch-2"));
    }
  }

  private static void lock(Connection c, RunId run) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT last_seq FROM runs WHERE run_id = ? FOR UPDATE")) {
      s.setString(1, run.value());
      s.executeQuery().close();
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
