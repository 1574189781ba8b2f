package dev.bridle.store;

import dev.bridle.core.journal.RunStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStoreContractTest extends RunStoreContract {

  @TempDir Path directory;

  @Override
  protected RunStore openStore() {
    return RunStores.open("sqlite:" + directory.resolve("store/bridle.db"));
  }
}
