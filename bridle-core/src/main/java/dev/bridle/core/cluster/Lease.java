package dev.bridle.core.cluster;

import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * The right of one node to write one run until {@code expiresAt}. {@code epoch} goes up with every
 * claim of the run, so that appends by an earlier holder are refused (fencing).
 */
public record Lease(RunId runId, String nodeId, long epoch, Instant expiresAt) {
  public Lease {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, but was " + epoch);
    }
  }

  public Lease renewedUntil(Instant newExpiry) {
    return new Lease(runId, nodeId, epoch, newExpiry);
  }
}
