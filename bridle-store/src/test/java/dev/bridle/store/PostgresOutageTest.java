package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static dev.bridle.store.Events.responded;
import static dev.bridle.store.Events.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.model.Usage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL goes away in the middle of a run, and comes back. */
class PostgresOutageTest {

  @TempDir Path dataDirectory;

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @Test
  void aStoppedDatabaseFailsWithStoreUnavailableAndLosesNothingCommitted() throws IOException {
    EmbeddedPostgres postgres = start(0);
    int port = postgres.getPort();
    String url =
        "postgresql://postgres:hunter2@localhost:" + port + "/postgres?connect-timeout-ms=500";
    String shown =
        "postgresql://postgres:***@localhost:" + port + "/postgres?connect-timeout-ms=500";
    RunId run = RunId.of("run-outage");
    try {
      try (RunStore store = RunStores.open(url)) {
        store.append(run, 0, started(at(0)));
        store.append(run, 1, responded(at(1), 1, new Usage(500, 50, 0)));
        store.append(run, 2, responded(at(2), 2, new Usage(600, 60, 0)));

        postgres.close(); // the database stops

        Throwable failure =
            catchThrowable(() -> store.append(run, 3, responded(at(3), 3, Usage.ZERO)));
        System.out.println("while the database is down: " + failure.getMessage());
        assertThat(failure)
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageStartingWith(
                "store "
                    + shown
                    + " is unavailable: appending event #4 (ModelResponded) to run"
                    + " run-outage failed: ")
            .message()
            .doesNotContain("hunter2");
        assertThatThrownBy(() -> store.find(run))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageStartingWith("store " + shown + " is unavailable: finding run run-outage");

        postgres = start(port); // and comes back on its data directory

        assertThat(store.read(run)).hasSize(3);
        assertThat(store.find(run).orElseThrow().usage()).isEqualTo(new Usage(1100, 110, 0));
        assertThat(store.append(run, 3, responded(at(3), 3, Usage.ZERO))).isEqualTo(4);
      }
      try (RunStore reopened = RunStores.open(url)) {
        assertThat(reopened.read(run)).hasSize(4);
      }
    } finally {
      postgres.close();
    }
  }

  @Test
  void openingAStoreOnADatabaseThatIsNotThereFailsWithStoreUnavailable() {
    String url =
        "jdbc:postgresql://localhost:1/bridle?user=bridle&password=hunter2&connect-timeout-ms=250";

    assertThatThrownBy(() -> RunStores.open(url))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith(
            "store jdbc:postgresql://localhost:1/bridle?user=bridle&password=***"
                + "&connect-timeout-ms=250 is unavailable: connecting failed: ")
        .message()
        .doesNotContain("hunter2");
  }
}
