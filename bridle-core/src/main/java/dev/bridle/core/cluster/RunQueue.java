package dev.bridle.core.cluster;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Runs waiting for a worker, and leases on them (DESIGN §7). A run is claimable when it is queued,
 * or when it is running under a lease that expired (its node died). Claiming raises the run's
 * epoch; {@link #fenced(Lease)} gives the holder a journal whose appends are refused once the lease
 * is lost, so two nodes never write one run.
 *
 * <p>Runs started outside the queue ({@code bridle run}) hold no lease and are never claimed; they
 * are continued with {@code bridle resume}.
 */
public interface RunQueue {

  /** The store the queue's runs are journaled in. */
  RunStore store();

  /** Puts a new run on the queue. */
  default RunId submit(RunId runId, String workflow, String task, String user, Clock clock) {
    store().append(runId, 0, new RunEvent.RunSubmitted(clock.instant(), workflow, user, task));
    return runId;
  }

  /**
   * Claims one claimable run of one of {@code workflows} for {@code nodeId} until {@code now +
   * leaseTime}, skipping runs other nodes are claiming at the same moment; empty when there is
   * none.
   */
  Optional<Lease> claim(String nodeId, Set<String> workflows, Instant now, Duration leaseTime);

  /**
   * Claims one given run for a writer outside the workers ({@code bridle resume}): any run that has
   * not ended and holds no live lease, also one started outside the queue. Empty when a live lease
   * holds it or it has ended.
   */
  Optional<Lease> claimRun(RunId runId, String nodeId, Instant now, Duration leaseTime);

  /**
   * Extends a lease to {@code now + leaseTime} (a heartbeat).
   *
   * @return the renewed lease, or empty when the lease was lost (the run was claimed by another
   *     node, or released)
   */
  Optional<Lease> renew(Lease lease, Instant now, Duration leaseTime);

  /** Gives the run up, so that it is claimable again if it is still queued or running. */
  void release(Lease lease);

  /**
   * A view of the store for the lease holder: its appends fail with {@link LeaseLostException} when
   * the run's epoch is no longer the lease's, in the same transaction as the append.
   */
  RunStore fenced(Lease lease);
}
