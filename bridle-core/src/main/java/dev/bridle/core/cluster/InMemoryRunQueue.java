package dev.bridle.core.cluster;

import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run queue in one JVM over an {@link InMemoryRunStore}: the reference implementation of the
 * lease and fencing rules, for tests and embedded use. The PostgreSQL and SQLite queues in {@code
 * bridle-store} follow the same rules across processes.
 */
public final class InMemoryRunQueue implements RunQueue {

  private final InMemoryRunStore store;
  private final Map<RunId, Lease> leases = new HashMap<>();
  private final Map<RunId, Long> epochs = new HashMap<>();

  public InMemoryRunQueue(InMemoryRunStore store) {
    this.store = store;
  }

  @Override
  public RunStore store() {
    return store;
  }

  @Override
  public synchronized Optional<Lease> claim(
      String nodeId, Set<String> workflows, Instant now, Duration leaseTime) {
    Optional<RunSummary> claimable =
        store.list(RunQuery.ALL.withLimit(10_000)).stream()
            .filter(run -> workflows.contains(run.workflow()))
            .filter(run -> claimable(run, now))
            .min(Comparator.comparing(RunSummary::createdAt));
    return claimable.map(
        run -> {
          long epoch = epochs.merge(run.runId(), 1L, Long::sum);
          Lease lease = new Lease(run.runId(), nodeId, epoch, now.plus(leaseTime));
          leases.put(run.runId(), lease);
          return lease;
        });
  }

  private boolean claimable(RunSummary run, Instant now) {
    Lease lease = leases.get(run.runId());
    if (run.status() == RunStatus.QUEUED) {
      return lease == null || !lease.expiresAt().isAfter(now);
    }
    return run.status() == RunStatus.RUNNING
        && epochs.containsKey(run.runId())
        && (lease == null || !lease.expiresAt().isAfter(now));
  }

  @Override
  public synchronized Optional<Lease> claimRun(
      RunId runId, String nodeId, Instant now, Duration leaseTime) {
    Optional<RunSummary> run = store.find(runId);
    Lease current = leases.get(runId);
    if (run.isEmpty()
        || run.get().status().isTerminal()
        || (current != null && current.expiresAt().isAfter(now))) {
      return Optional.empty();
    }
    long epoch = epochs.merge(runId, 1L, Long::sum);
    Lease lease = new Lease(runId, nodeId, epoch, now.plus(leaseTime));
    leases.put(runId, lease);
    return Optional.of(lease);
  }

  @Override
  public synchronized Optional<Lease> renew(Lease lease, Instant now, Duration leaseTime) {
    if (!holds(lease)) {
      return Optional.empty();
    }
    Lease renewed = lease.renewedUntil(now.plus(leaseTime));
    leases.put(lease.runId(), renewed);
    return Optional.of(renewed);
  }

  @Override
  public synchronized void release(Lease lease) {
    if (holds(lease)) {
      leases.remove(lease.runId());
    }
  }

  private boolean holds(Lease lease) {
    Lease current = leases.get(lease.runId());
    return current != null && current.epoch() == lease.epoch();
  }

  @Override
  public RunStore fenced(Lease lease) {
    return new Fenced(lease);
  }

  /** The store, with appends refused once the lease's epoch is no longer current. */
  private final class Fenced extends ForwardingRunStore {
    private final Lease lease;

    Fenced(Lease lease) {
      super(store);
      this.lease = lease;
    }

    @Override
    public long append(RunId runId, long expectedLastSeq, RunEvent event) {
      synchronized (InMemoryRunQueue.this) {
        checkEpoch(runId);
        return super.append(runId, expectedLastSeq, event);
      }
    }

    @Override
    public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
      synchronized (InMemoryRunQueue.this) {
        checkEpoch(runId);
        return store.appendAll(runId, expectedLastSeq, events);
      }
    }

    private void checkEpoch(RunId runId) {
      if (!runId.equals(lease.runId())) {
        throw new IllegalArgumentException("this journal is fenced to run " + lease.runId());
      }
      long current = epochs.getOrDefault(runId, 0L);
      if (current != lease.epoch()) {
        throw new LeaseLostException(lease, "the run is now at epoch " + current);
      }
    }

    @Override
    public void close() {
      // The queue's store outlives its fenced views.
    }
  }
}
