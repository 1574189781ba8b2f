package dev.bridle.core.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A kill switch whose {@link #active()} answer is reused for at most {@code maxAge}, so that a
 * check before every model and tool call does not cost a database query each time. With the default
 * 250 ms, a switch turned on at one node stops every other node's next call within a quarter of a
 * second plus one query. Turning a switch on or off here is seen at once.
 */
public final class CachedKillSwitch implements KillSwitch {

  private final KillSwitch delegate;
  private final Clock clock;
  private final Duration maxAge;
  private volatile Cached cached;

  private record Cached(List<Kill> kills, Instant until) {}

  public CachedKillSwitch(KillSwitch delegate, Clock clock, Duration maxAge) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  public CachedKillSwitch(KillSwitch delegate) {
    this(delegate, Clock.systemUTC(), Duration.ofMillis(250));
  }

  @Override
  public void kill(Scope scope, String target, String by, String reason) {
    delegate.kill(scope, target, by, reason);
    cached = null;
  }

  @Override
  public boolean revive(Scope scope, String target, String by) {
    boolean was = delegate.revive(scope, target, by);
    cached = null;
    return was;
  }

  @Override
  public List<Kill> active() {
    Instant now = clock.instant();
    Cached c = cached;
    if (c == null || !now.isBefore(c.until())) {
      c = new Cached(delegate.active(), now.plus(maxAge));
      cached = c;
    }
    return c.kills();
  }
}
