package dev.bridle.store;

import dev.bridle.core.control.KillSwitch.Scope;
import java.time.Instant;

/**
 * The other process of {@link KillSwitchAcrossProcessesTest}: turns one switch on in the store and
 * prints {@code KILLED <instant>}, the moment the kill was committed.
 *
 * <p>Arguments: {@code STORE_URL SCOPE TARGET BY REASON}.
 */
public final class KillSwitchChild {

  private KillSwitchChild() {}

  public static void main(String[] args) {
    try (KillSwitchStore switches = RunStores.openKillSwitch(args[0])) {
      System.out.println("OPENED");
      switches.kill(Scope.valueOf(args[1]), args[2], args[3], args[4]);
      System.out.println("KILLED " + Instant.now());
      System.out.flush();
    }
  }
}
