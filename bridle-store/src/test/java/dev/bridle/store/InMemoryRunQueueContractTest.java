package dev.bridle.store;

import dev.bridle.core.cluster.InMemoryRunQueue;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.InMemoryRunStore;

/** The reference: core's in-memory queue passes the same contract (one JVM, so one queue). */
class InMemoryRunQueueContractTest extends RunQueueContract {

  @Override
  protected RunQueue openQueue() {
    return new InMemoryRunQueue(new InMemoryRunStore());
  }

  @Override
  protected RunQueue openAnotherNode() {
    return queue;
  }
}
