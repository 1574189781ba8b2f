package dev.bridle.store;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;

/** The reference: core's in-memory store passes the same contract. */
class InMemoryRunStoreContractTest extends RunStoreContract {

  @Override
  protected RunStore openStore() {
    return new InMemoryRunStore();
  }
}
