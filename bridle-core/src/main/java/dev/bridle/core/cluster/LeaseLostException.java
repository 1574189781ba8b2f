package dev.bridle.core.cluster;

import dev.bridle.core.BridleException;

/**
 * An append was refused because the writer no longer holds the run's lease: it expired and another
 * node claimed the run (a higher epoch). The writer must stop working on the run.
 */
public final class LeaseLostException extends BridleException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(Lease lease, String detail) {
    super(
        "node "
            + lease.nodeId()
            + " lost the lease on run "
            + lease.runId()
            + " (epoch "
            + lease.epoch()
            + "): "
            + detail);
  }
}
