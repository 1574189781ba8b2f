package dev.bridle.core.control;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Kill switches in memory, for one process and for tests. */
public final class InMemoryKillSwitch implements KillSwitch {

  private final Map<String, Kill> on = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryKillSwitch(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public InMemoryKillSwitch() {
    this(Clock.systemUTC());
  }

  @Override
  public void kill(Scope scope, String target, String by, String reason) {
    String t = KillSwitch.normalTarget(scope, target);
    on.put(scope + "/" + t, new Kill(scope, t, by, reason == null ? "" : reason, clock.instant()));
  }

  @Override
  public boolean revive(Scope scope, String target, String by) {
    return on.remove(scope + "/" + KillSwitch.normalTarget(scope, target)) != null;
  }

  @Override
  public List<Kill> active() {
    return List.copyOf(on.values());
  }
}
