package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static dev.bridle.store.Events.responded;
import static dev.bridle.store.Events.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite store has to show: its file, its settings, its failures. */
class SqliteRunStoreTest {

  @TempDir Path directory;

  private String url() {
    return "sqlite:" + directory.resolve("data/bridle.db");
  }

  @Test
  void whatWasCommittedIsThereAfterCloseAndReopen() {
    RunId run = RunId.of("run-persist");
    try (RunStore store = RunStores.open(url())) {
      store.append(run, 0, started(at(0)));
      store.append(run, 1, responded(at(1), 1, new Usage(100, 10, 0)));
      store.saveSnapshot(new Snapshot(run, 2, "{\"step\":1}"));
    }
    assertThat(directory.resolve("data/bridle.db")).isRegularFile();

    try (RunStore store = RunStores.open(url())) {
      assertThat(store.read(run)).hasSize(2);
      assertThat(store.find(run).orElseThrow().usage()).isEqualTo(new Usage(100, 10, 0));
      assertThat(store.latestSnapshot(run)).contains(new Snapshot(run, 2, "{\"step\":1}"));
      assertThat(store.append(run, 2, new RunEvent.RunResumed(at(2), "node-2"))).isEqualTo(3);
    }
  }

  @Test
  void twoStoresOnOneFileLikeTwoProcessesKeepConditionalAppendsCorrect() throws Exception {
    RunId shared = RunId.of("run-shared");
    int rounds = 40;
    AtomicInteger[] winners = new AtomicInteger[rounds];
    for (int i = 0; i < rounds; i++) {
      winners[i] = new AtomicInteger();
    }
    try (RunStore first = RunStores.open(url());
        RunStore second = RunStores.open(url())) {
      List<RunStore> stores = List.of(first, second, first, second);
      CyclicBarrier barrier = new CyclicBarrier(stores.size());
      ExecutorService pool = Executors.newFixedThreadPool(stores.size());
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < stores.size(); w++) {
          RunStore store = stores.get(w);
          RunId own = RunId.of("run-own-" + w);
          String writer = "writer-" + w;
          done.add(
              pool.submit(
                  () -> {
                    for (int round = 0; round < rounds; round++) {
                      barrier.await(10, TimeUnit.SECONDS);
                      try {
                        store.append(shared, round, new RunEvent.RunResumed(at(round), writer));
                        winners[round].incrementAndGet();
                      } catch (JournalConflictException expected) {
                        // the other writer got this seq
                      }
                      store.append(own, round, new RunEvent.RunResumed(at(round), writer));
                    }
                    return null;
                  }));
        }
        for (Future<?> future : done) {
          future.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(winners).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
      for (RunStore store : List.of(first, second)) {
        assertThat(store.read(shared))
            .extracting(JournalEntry::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, rounds).boxed().toList());
        for (int w = 0; w < stores.size(); w++) {
          assertThat(store.find(RunId.of("run-own-" + w)).orElseThrow().lastSeq())
              .isEqualTo(rounds);
        }
      }
    }
  }

  @Test
  void theFileIsInWalModeWithForeignKeysAndTheChosenSynchronousLevel() throws SQLException {
    try (RunStore store = RunStores.open(url())) {
      store.append(RunId.of("run-1"), 0, started(at(0)));
    }
    StoreLocation.Sqlite normal = (StoreLocation.Sqlite) StoreLocation.parse(url());
    StoreLocation.Sqlite full =
        (StoreLocation.Sqlite) StoreLocation.parse(url() + "?synchronous=FULL&busy-timeout-ms=250");
    try (Connection c = RunStores.sqlite(normal, false).getConnection()) {
      assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(c, "synchronous")).isEqualTo("1"); // NORMAL
      assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(c, "busy_timeout")).isEqualTo("5000");
    }
    try (Connection c = RunStores.sqlite(full, false).getConnection()) {
      assertThat(pragma(c, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(c, "busy_timeout")).isEqualTo("250");
    }
  }

  @Test
  void aWriterThatWaitsPastTheBusyTimeoutGetsStoreUnavailableAndNothingIsLost()
      throws SQLException {
    RunId run = RunId.of("run-busy");
    Path file = directory.resolve("data/bridle.db");
    try (RunStore store = RunStores.open(url() + "?busy-timeout-ms=200")) {
      store.append(run, 0, started(at(0)));
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = other.createStatement()) {
        s.execute("BEGIN IMMEDIATE"); // another process holds the write lock

        assertThatThrownBy(() -> store.append(run, 1, responded(at(1), 1, Usage.ZERO)))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageStartingWith(
                "store sqlite:"
                    + file
                    + " is unavailable: appending event #2 (ModelResponded)"
                    + " to run run-busy failed: [SQLITE_BUSY]");
        assertThat(store.read(run)).hasSize(1); // reads go on beside a writer

        s.execute("ROLLBACK");
      }
      assertThat(store.append(run, 1, responded(at(1), 1, Usage.ZERO))).isEqualTo(2);
    }
  }

  @Test
  void aDeletedDatabaseFileFailsTheNextWriteWithStoreUnavailable() throws Exception {
    RunId run = RunId.of("run-deleted");
    Path file = directory.resolve("data/bridle.db");
    try (RunStore store = RunStores.open(url())) {
      store.append(run, 0, started(at(0)));
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(Path.of(file + suffix));
      }

      assertThatThrownBy(() -> store.append(run, 1, responded(at(1), 1, Usage.ZERO)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("store sqlite:" + file + " is unavailable")
          .hasMessageContaining("appending event #2 (ModelResponded) to run run-deleted failed");
    }
  }

  @Test
  void aStoreThatCannotCreateItsDirectoryIsUnavailable() throws Exception {
    Path blocker = Files.writeString(directory.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> RunStores.open("sqlite:" + blocker.resolve("bridle.db")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("store sqlite:" + blocker.resolve("bridle.db") + " is unavailable")
        .hasMessageContaining("creating directory " + blocker);
  }

  @Test
  void anEventTheIndexCannotFoldIsRefusedAloneAndLeavesNothingBehind() throws Exception {
    RunId bad = RunId.of("run-bad");
    try (RunStore store = RunStores.open(url())) {
      store.append(bad, 0, started(at(0)));
      RunEvent noUsage =
          new RunEvent.ModelResponded(at(1), 1, "m", ChatMessage.Assistant.text("hi"), null, 5);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Long>> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          RunId run = RunId.of("run-good-" + i);
          good.add(pool.submit(() -> store.append(run, 0, started(at(0)))));
        }
        Future<Long> refused = pool.submit(() -> store.append(bad, 1, noUsage));

        assertThatThrownBy(refused::get).hasCauseInstanceOf(NullPointerException.class);
        for (Future<Long> future : good) {
          assertThat(future.get()).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.read(bad)).hasSize(1);
      assertThat(store.find(bad).orElseThrow().lastSeq()).isEqualTo(1);
      assertThat(store.append(bad, 1, responded(at(2), 1, Usage.ZERO))).isEqualTo(2);
    }
  }

  @Test
  void theIndexNeverKeepsHalfAnEmojiAndShowsAReplacementCharacterForNul() {
    String task = "x".repeat(199) + "🚀 and NUL \u0000 after the cut";
    RunId run = RunId.of("run-odd-text");
    try (RunStore store = RunStores.open(url())) {
      store.append(run, 0, started(at(0), "triage", "da\u0000na", task));

      assertThat(store.find(run).orElseThrow().task()).isEqualTo("x".repeat(199));
      assertThat(store.find(run).orElseThrow().user()).isEqualTo("da\uFFFDna");
      assertThat(((RunEvent.RunStarted) store.read(run).get(0).event()).task()).isEqualTo(task);
    }
  }

  @Test
  void aSnapshotOfARunWithoutEventsIsRefused() {
    try (RunStore store = RunStores.open(url())) {
      assertThatThrownBy(() -> store.saveSnapshot(new Snapshot(RunId.of("run-none"), 3, "{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("run run-none has no events");
    }
  }

  @Test
  void anInterruptedCallerStillLearnsWhetherItsEventWasStored() {
    try (RunStore store = RunStores.open(url())) {
      Thread.currentThread().interrupt();
      try {
        assertThat(store.append(RunId.of("run-interrupted"), 0, started(at(0)))).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void aClosedStoreRefusesWithStoreUnavailable() {
    RunStore store = RunStores.open(url());
    store.close();
    store.close();

    assertThatThrownBy(() -> store.append(RunId.of("run-late"), 0, started(at(0))))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(store::runIds)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is closed");
  }

  private static String pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
