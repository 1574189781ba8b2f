package dev.bridle.store;

import dev.bridle.core.control.InMemoryQualityBreakerStore;
import dev.bridle.core.control.QualityBreakerStore;
import java.time.Clock;

/** The reference: core's in-memory store passes the same contract; its "nodes" share one store. */
class InMemoryQualityBreakerStoreContractTest extends QualityBreakerStoreContract {

  @Override
  protected QualityBreakerStore open(Clock clock) {
    return new InMemoryQualityBreakerStore(clock);
  }

  @Override
  protected QualityBreakerStore openAnotherNode(Clock clock) {
    return breakers;
  }
}
