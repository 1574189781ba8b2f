package dev.bridle.store;

import dev.bridle.core.control.KillSwitch;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Kill switches kept in the store's database (DESIGN §3.5), so that a switch turned on at one node,
 * or by {@code bridle kill}, stops the runs on every node of the database. Every kill and every
 * revive that turned a switch off is logged with who, when and why ({@link #history(int)}): the
 * audit of what operators did.
 *
 * <pre>{@code
 * try (KillSwitchStore switches = RunStores.openKillSwitch("postgresql://db:5432/bridle")) {
 *   switches.kill(KillSwitch.Scope.WORKFLOW, "refunds", "ops:lee", "refund loop, INC-2291");
 * }
 * }</pre>
 *
 * <p>Nodes check the switches before every model and tool call; wrap the store in a {@link
 * dev.bridle.core.control.CachedKillSwitch} so that the check costs a query only every 250 ms.
 * Obtained from {@link RunStores#openKillSwitch(String)} (its own connections) or {@link
 * RunStores#killSwitch(dev.bridle.core.journal.RunStore)} (an open store's).
 */
public interface KillSwitchStore extends KillSwitch, AutoCloseable {

  /** The most entries {@link #history(int)} returns at once. */
  int MAX_HISTORY = 10_000;

  /** What an operator did to a switch. */
  enum Action {
    /** Turned it on, or, if it was on, replaced who and why. */
    KILL,
    /** Turned it off. */
    REVIVE
  }

  /**
   * One action in the log.
   *
   * @param seq the order the actions were stored in, from 1
   * @param target the workflow name or agent identity; {@code *} for {@link Scope#GLOBAL}
   * @param by who did it
   * @param reason why, as given; {@code ""} when not given, and for a revive
   */
  record LogEntry(
      long seq, Action action, Scope scope, String target, String by, String reason, Instant at) {
    public LogEntry {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * {@inheritDoc} Logged.
   *
   * @throws IllegalArgumentException if a workflow or agent switch has no target
   * @throws dev.bridle.core.journal.StoreUnavailableException if the database cannot be written
   */
  @Override
  void kill(Scope scope, String target, String by, String reason);

  /**
   * {@inheritDoc} Logged when the switch was on.
   *
   * @throws IllegalArgumentException if a workflow or agent switch has no target
   * @throws dev.bridle.core.journal.StoreUnavailableException if the database cannot be written
   */
  @Override
  boolean revive(Scope scope, String target, String by);

  /**
   * {@inheritDoc} Oldest first.
   *
   * @throws dev.bridle.core.journal.StoreUnavailableException if the database cannot be read
   */
  @Override
  List<Kill> active();

  /**
   * The latest actions on the switches, newest first.
   *
   * @param limit at most this many (1 to {@value #MAX_HISTORY})
   */
  List<LogEntry> history(int limit);

  /**
   * Closes the connections this kill switch opened ({@link RunStores#openKillSwitch}); one that
   * shares an open store's does nothing. Idempotent.
   */
  @Override
  void close();
}
