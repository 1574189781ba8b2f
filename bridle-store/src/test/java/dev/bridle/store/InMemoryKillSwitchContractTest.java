package dev.bridle.store;

import dev.bridle.core.control.InMemoryKillSwitch;
import dev.bridle.core.control.KillSwitch;
import java.time.Clock;

/** The reference: core's in-memory kill switch passes the same contract. */
class InMemoryKillSwitchContractTest extends KillSwitchContract {

  @Override
  protected KillSwitch open(Clock clock) {
    return new InMemoryKillSwitch(clock);
  }
}
