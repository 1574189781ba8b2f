package dev.bridle.store;

import dev.bridle.core.control.KillSwitch;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * A {@link KillSwitchStore} over a {@link JdbcRunStore}'s connections: writes through the store's
 * writer (on SQLite its single writer connection), each a transaction of its own; reads from its
 * read pool. The switches that are on are rows of {@code kill_switches}, the actions rows of {@code
 * kill_switch_log} ({@code V3__control.sql}).
 */
final class JdbcKillSwitch implements KillSwitchStore {

  private final JdbcRunStore store;
  private final KillSwitchRows rows;
  private final Clock clock;
  private final boolean ownsStore;

  /**
   * @param ownsStore close the store with this kill switch (it was opened for it)
   */
  JdbcKillSwitch(JdbcRunStore store, Clock clock, boolean ownsStore) {
    this.store = Objects.requireNonNull(store, "store");
    this.rows = new KillSwitchRows(store.dialect());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsStore = ownsStore;
  }

  @Override
  public void kill(Scope scope, String target, String by, String reason) {
    Objects.requireNonNull(scope, "scope");
    String normal = KillSwitch.normalTarget(scope, target);
    Objects.requireNonNull(by, "by");
    String why = reason == null ? "" : reason;
    long at = Times.toNanos(clock.instant());
    store.write(
        "turning on " + describe(scope, normal) + " for " + by,
        c -> {
          rows.lockLog(c);
          rows.upsert(c, scope, normal, by, why, at);
          rows.log(c, Action.KILL, scope, normal, by, why, at);
          return null;
        });
  }

  @Override
  public boolean revive(Scope scope, String target, String by) {
    Objects.requireNonNull(scope, "scope");
    String normal = KillSwitch.normalTarget(scope, target);
    Objects.requireNonNull(by, "by");
    long at = Times.toNanos(clock.instant());
    return store.write(
        "turning off " + describe(scope, normal) + " for " + by,
        c -> {
          rows.lockLog(c);
          boolean wasOn = rows.delete(c, scope, normal);
          if (wasOn) {
            rows.log(c, Action.REVIVE, scope, normal, by, "", at);
          }
          return wasOn;
        });
  }

  @Override
  public List<Kill> active() {
    return store.read("reading the kill switches", rows::active);
  }

  @Override
  public List<LogEntry> history(int limit) {
    if (limit < 1 || limit > MAX_HISTORY) {
      throw new IllegalArgumentException(
          "history limit must be between 1 and " + MAX_HISTORY + ", but was " + limit);
    }
    return store.read("reading the kill switch log", c -> rows.history(c, limit));
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "KillSwitch[" + store.location() + "]";
  }

  private static String describe(Scope scope, String target) {
    return switch (scope) {
      case GLOBAL -> "the global kill switch";
      case WORKFLOW -> "the kill switch of workflow " + target;
      case AGENT -> "the kill switch of " + target;
    };
  }
}
