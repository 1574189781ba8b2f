package dev.bridle.store;

import dev.bridle.core.journal.RunStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The rate limiter contract on SQLite: two nodes are two stores opened on one file. */
class SqliteRateLimiterContractTest extends JdbcRateLimiterContract {

  @TempDir Path directory;

  @Override
  protected RunStore openRunStore() {
    return RunStores.open("sqlite:" + directory.resolve("store/bridle.db"));
  }
}
