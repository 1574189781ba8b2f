package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static dev.bridle.store.Events.responded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.Usage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How much group commit buys: appends per second from many threads on their own runs, with one
 * transaction per append and with batches. Not part of the build (it measures, it does not check);
 * run it with {@code -Dtest=GroupCommitThroughputTest -Dbridle.store.measure=true}.
 */
@EnabledIfSystemProperty(named = "bridle.store.measure", matches = "true")
class GroupCommitThroughputTest {

  private static final int THREADS = 16;
  private static final int APPENDS_PER_THREAD = 300;

  @TempDir Path directory;

  @Test
  void measure() throws Exception {
    for (String sync : List.of("normal", "full")) {
      for (int maxBatch : List.of(1, GroupCommitWriter.MAX_BATCH)) {
        String url =
            "sqlite:" + directory.resolve(sync + maxBatch + ".db") + "?synchronous=" + sync;
        report("SQLite synchronous=" + sync, maxBatch, url);
      }
    }
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
      for (int maxBatch : List.of(1, GroupCommitWriter.MAX_BATCH)) {
        report("PostgreSQL", maxBatch, url);
      }
    }
  }

  private static void report(String what, int maxBatch, String url) throws Exception {
    try (RunStore store = RunStores.open(url, maxBatch)) {
      String prefix = "r" + System.nanoTime() + "-";
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          RunId run = RunId.of(prefix + t);
          done.add(
              pool.submit(
                  () -> {
                    store.append(run, 0, Events.started(at(0)));
                    for (int i = 1; i < APPENDS_PER_THREAD; i++) {
                      store.append(run, i, responded(at(i), i, new Usage(100, 10, 0)));
                    }
                    return null;
                  }));
        }
        for (Future<?> future : done) {
          future.get(10, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(store.runIds().stream().filter(id -> id.value().startsWith(prefix)))
          .hasSize(THREADS);
      System.out.printf(
          "%-28s %-18s %8.0f appends/s%n",
          what,
          maxBatch == 1 ? "one per commit" : "group commit",
          THREADS * APPENDS_PER_THREAD / seconds);
    }
  }
}
