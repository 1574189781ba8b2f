package dev.bridle.store;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RunQueue} over a {@link JdbcRunStore}: leases live in the run index ({@code
 * V2__leases.sql}), and claims, heartbeats and releases are write transactions through the store's
 * writer. On PostgreSQL many nodes share the queue, claiming with {@code FOR UPDATE SKIP LOCKED};
 * on SQLite the processes on one file take turns at its write lock ({@code BEGIN IMMEDIATE}).
 *
 * <p>Times are the callers' ({@code now}), stored like every time of the store. An append through
 * {@link #fenced(Lease)} depends on the epoch only, not on the expiry: a slow holder may still
 * write until another node claims the run.
 */
final class JdbcRunQueue implements RunQueue {

  private final JdbcRunStore store;
  private final LeaseRows leases;

  JdbcRunQueue(JdbcRunStore store, Dialect dialect) {
    this.store = store;
    this.leases = new LeaseRows(dialect);
  }

  /** The queue's store; closing it closes the queue. */
  @Override
  public RunStore store() {
    return store;
  }

  /** {@inheritDoc} Oldest means by the time of the run's first event, then by id. */
  @Override
  public Optional<Lease> claim(
      String nodeId, Set<String> workflows, Instant now, Duration leaseTime) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(workflows, "workflows");
    Instant expiresAt = expiry(now, leaseTime);
    if (workflows.isEmpty()) {
      return Optional.empty();
    }
    List<String> sorted = workflows.stream().sorted().toList();
    long nowNanos = Times.toNanos(now);
    long expiresAtNanos = Times.toNanos(expiresAt);
    return store
        .write(
            "claiming a run of " + String.join(", ", sorted) + " for node " + nodeId,
            c -> leases.claim(c, nodeId, sorted, nowNanos, expiresAtNanos))
        .map(claimed -> new Lease(claimed.runId(), nodeId, claimed.epoch(), expiresAt));
  }

  @Override
  public Optional<Lease> claimRun(RunId runId, String nodeId, Instant now, Duration leaseTime) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Instant expiresAt = expiry(now, leaseTime);
    long nowNanos = Times.toNanos(now);
    long expiresAtNanos = Times.toNanos(expiresAt);
    return store
        .write(
            "claiming run " + runId + " for " + nodeId,
            c -> leases.claimRun(c, runId, nodeId, nowNanos, expiresAtNanos))
        .map(claimed -> new Lease(claimed.runId(), nodeId, claimed.epoch(), expiresAt));
  }

  @Override
  public Optional<Lease> renew(Lease lease, Instant now, Duration leaseTime) {
    Objects.requireNonNull(lease, "lease");
    Instant expiresAt = expiry(now, leaseTime);
    long expiresAtNanos = Times.toNanos(expiresAt);
    boolean renewed =
        store.write("renewing the " + describe(lease), c -> leases.renew(c, lease, expiresAtNanos));
    return renewed ? Optional.of(lease.renewedUntil(expiresAt)) : Optional.empty();
  }

  @Override
  public void release(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    store.write("releasing the " + describe(lease), c -> leases.release(c, lease));
  }

  @Override
  public RunStore fenced(Lease lease) {
    return new FencedRunStore(store, Objects.requireNonNull(lease, "lease"));
  }

  @Override
  public String toString() {
    return "RunQueue[" + store + "]";
  }

  private static Instant expiry(Instant now, Duration leaseTime) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseTime, "leaseTime");
    if (leaseTime.isNegative() || leaseTime.isZero()) {
      throw new IllegalArgumentException("lease time must be positive, but was " + leaseTime);
    }
    return now.plus(leaseTime);
  }

  private static String describe(Lease lease) {
    return "lease of node "
        + lease.nodeId()
        + " on run "
        + lease.runId()
        + " (epoch "
        + lease.epoch()
        + ")";
  }
}
