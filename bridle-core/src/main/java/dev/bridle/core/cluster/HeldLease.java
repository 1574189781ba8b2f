package dev.bridle.core.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One lease kept alive by heartbeats on a virtual thread until closed, for a single writer outside
 * the {@link Worker}s (such as {@code bridle resume}). Closing stops the heartbeats and releases
 * the lease.
 */
public final class HeldLease implements AutoCloseable {

  private final RunQueue queue;
  private final AtomicReference<Lease> lease;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Thread heartbeats;

  private HeldLease(RunQueue queue, Lease lease, Duration leaseTime, Clock clock) {
    this.queue = queue;
    this.lease = new AtomicReference<>(lease);
    Duration every = leaseTime.dividedBy(3);
    this.heartbeats =
        Thread.ofVirtual()
            .name("bridle-lease-" + lease.runId())
            .start(
                () -> {
                  while (open.get() && !lost.get()) {
                    LockSupport.parkNanos(every.toNanos());
                    if (open.get()) {
                      renew(leaseTime, clock);
                    }
                  }
                });
  }

  /** Starts renewing {@code lease} every third of {@code leaseTime}. */
  public static HeldLease hold(RunQueue queue, Lease lease, Duration leaseTime, Clock clock) {
    return new HeldLease(queue, lease, leaseTime, clock);
  }

  public Lease lease() {
    return lease.get();
  }

  /** Whether a heartbeat found the lease taken: the holder must stop writing. */
  public boolean lost() {
    return lost.get();
  }

  private void renew(Duration leaseTime, Clock clock) {
    try {
      Optional<Lease> renewed = queue.renew(lease.get(), clock.instant(), leaseTime);
      if (renewed.isPresent()) {
        lease.set(renewed.get());
      } else {
        lost.set(true);
      }
    } catch (RuntimeException e) {
      // The store may be back before the lease expires; the next heartbeat tries again.
    }
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      heartbeats.interrupt();
      if (!lost.get()) {
        try {
          queue.release(lease.get());
        } catch (RuntimeException e) {
          // The lease expires on its own.
        }
      }
    }
  }
}
