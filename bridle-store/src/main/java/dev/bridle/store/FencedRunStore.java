package dev.bridle.store;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.LeaseLostException;
import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.util.List;
import java.util.Objects;

/**
 * The store as the holder of a lease sees it: appends to the lease's run only, each refused with
 * {@link LeaseLostException} unless the run is still at the lease's epoch, checked in the append's
 * own transaction (see {@link GroupCommitWriter}); {@link #appendAll} keeps the store's single
 * transaction. Everything else goes to the store unchanged. Closing the view does nothing: the
 * store belongs to the queue.
 */
final class FencedRunStore extends ForwardingRunStore {

  private final JdbcRunStore store;
  private final Lease lease;

  FencedRunStore(JdbcRunStore store, Lease lease) {
    super(store);
    this.store = store;
    this.lease = lease;
  }

  /**
   * {@inheritDoc}
   *
   * @throws LeaseLostException if another node claimed the run since the lease was taken
   * @throws IllegalArgumentException if {@code runId} is not the lease's run
   */
  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    return appendAll(runId, expectedLastSeq, List.of(Objects.requireNonNull(event, "event")));
  }

  /**
   * {@inheritDoc} In one transaction, all or none, fenced like {@link #append}.
   *
   * @throws LeaseLostException if another node claimed the run since the lease was taken
   * @throws IllegalArgumentException if {@code runId} is not the lease's run
   */
  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    if (!lease.runId().equals(runId)) {
      throw new IllegalArgumentException(
          "this journal is fenced to run "
              + lease.runId()
              + " (the lease of node "
              + lease.nodeId()
              + ", epoch "
              + lease.epoch()
              + "), so it cannot append to run "
              + runId);
    }
    return store.appendFenced(lease, expectedLastSeq, events);
  }

  /** The store belongs to the queue; closing a view of it does nothing. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return store + " fenced to run " + lease.runId() + " at epoch " + lease.epoch();
  }
}
