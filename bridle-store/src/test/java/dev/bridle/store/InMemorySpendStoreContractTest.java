package dev.bridle.store;

import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.cost.SpendStore;

/** The reference: core's in-memory spend store passes the same contract. */
class InMemorySpendStoreContractTest extends SpendStoreContract {

  @Override
  protected SpendStore open() {
    return new InMemorySpendStore();
  }
}
