package dev.bridle.core.cluster;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunInterruptedException;
import dev.bridle.core.run.RunResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster node's worker (DESIGN §7): claims runnable runs from a {@link RunQueue}, holds each
 * run's lease with heartbeats, and runs or resumes it with the agent of its workflow (at the
 * version the run started with, see {@link Rollout}), writing through the fenced journal so that a
 * node that lost its lease cannot append. Stateless: any number of workers on any number of nodes
 * share one queue.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Worker.class.getName());

  private final String nodeId;
  private final RunQueue queue;
  private final Map<String, Rollout> workflows;
  private final int concurrency;
  private final Duration leaseTime;
  private final Duration heartbeat;
  private final Duration pollInterval;
  private final Clock clock;
  private final Duration expiryInterval;
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> slots = new ArrayList<>();
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** A lease this worker holds, and whether a heartbeat found it lost. */
  private record Held(Lease lease, AtomicBoolean lost) {
    Held renewed(Lease newLease) {
      return new Held(newLease, lost);
    }
  }

  private final AtomicLong finished = new AtomicLong();
  private Thread heartbeats;

  private Worker(Builder builder) {
    this.nodeId = builder.nodeId;
    this.queue = builder.queue;
    this.workflows = Map.copyOf(builder.workflows);
    this.concurrency = builder.concurrency;
    this.leaseTime = builder.leaseTime;
    this.heartbeat = builder.leaseTime.dividedBy(3);
    this.pollInterval = builder.pollInterval;
    this.clock = builder.clock;
    this.expiryInterval = builder.expiryInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the worker's slots and its heartbeat on virtual threads. */
  public Worker start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("worker " + nodeId + " is already running");
    }
    for (int i = 0; i < concurrency; i++) {
      slots.add(Thread.ofVirtual().name("bridle-worker-" + nodeId + "-" + i).start(this::work));
    }
    heartbeats = Thread.ofVirtual().name("bridle-heartbeat-" + nodeId).start(this::beat);
    return this;
  }

  /** Runs this worker finished (any outcome) since it started. */
  public long finishedRuns() {
    return finished.get();
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Stops claiming; each run in progress stops before its next model or tool call (the step under
   * way finishes and is recorded) and its lease is released, so that another node resumes it at
   * once. Waits up to 30 s in all.
   */
  @Override
  public void close() {
    running.set(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread slot : slots) {
      joinUntil(slot, deadline);
    }
    if (heartbeats != null) {
      heartbeats.interrupt();
      joinUntil(heartbeats, deadline);
    }
  }

  private void work() {
    while (running.get()) {
      try {
        Optional<Lease> lease = claim();
        if (lease.isEmpty()) {
          LockSupport.parkNanos(pollInterval.toNanos());
          continue;
        }
        serve(lease.get());
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "node " + nodeId + ": worker slot error, backing off", e);
        LockSupport.parkNanos(pollInterval.toNanos());
      }
    }
  }

  private Optional<Lease> claim() {
    try {
      return queue.claim(nodeId, workflows.keySet(), clock.instant(), leaseTime);
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "node " + nodeId + ": cannot claim runs: " + e.getMessage());
      return Optional.empty();
    }
  }

  private void serve(Lease lease) {
    String key = lease.runId().value();
    Held holding = new Held(lease, new AtomicBoolean());
    held.put(key, holding);
    boolean release = true;
    try {
      RunSummary run = queue.store().find(lease.runId()).orElseThrow();
      Agent agent;
      try {
        // the version the run started with, or for a new run the one the rollout picks for it
        agent = workflows.get(run.workflow()).agentFor(run, queue.fenced(lease));
      } catch (ConfigurationException e) {
        // Not servable here (a version this node does not serve): keep the lease unrenewed, so
        // that the run is tried again once it expires, by any node, instead of in a tight loop.
        release = false;
        LOG.log(Level.WARNING, "node " + nodeId + ": cannot run " + key + ": " + e.getMessage());
        return;
      }
      RunResult result =
          agent.resume(lease.runId(), nodeId, () -> !running.get() || holding.lost().get());
      finished.incrementAndGet();
      LOG.fine(() -> "node " + nodeId + ": run " + key + " " + result.outcome().message());
    } catch (RunInterruptedException e) {
      LOG.info("node " + nodeId + ": stopped run " + key + " before its next step");
    } catch (LeaseLostException | JournalConflictException e) {
      LOG.log(Level.WARNING, "node " + nodeId + ": gave up run " + key + ": " + e.getMessage());
    } catch (StoreUnavailableException | ConfigurationException e) {
      LOG.log(Level.WARNING, "node " + nodeId + ": run " + key + " interrupted: " + e.getMessage());
    } catch (RuntimeException e) {
      // Unexpected (an unreadable event, a bug): keep the lease unrenewed instead of releasing
      // it, so the run is retried only after the lease expires, not in a tight loop.
      release = false;
      LOG.log(Level.SEVERE, "node " + nodeId + ": run " + key + " failed unexpectedly", e);
    } finally {
      held.remove(key);
      if (release) {
        releaseQuietly(lease);
      }
    }
  }

  private void beat() {
    long nextExpiry = System.nanoTime();
    while (running.get() || !held.isEmpty()) {
      LockSupport.parkNanos(heartbeat.toNanos());
      if (Thread.currentThread().isInterrupted() && !running.get()) {
        return;
      }
      renewAll(List.copyOf(held.values()));
      if (running.get() && System.nanoTime() - nextExpiry >= 0) {
        expireApprovals();
        nextExpiry = System.nanoTime() + expiryInterval.toNanos();
      }
    }
  }

  /**
   * Applies the default decision to approvals whose timeout passed; the decided runs become
   * claimable. Every node does this; the journal's conditional append decides each item once.
   */
  private void expireApprovals() {
    try {
      Approvals approvals =
          new Approvals(
              queue.store(),
              workflow ->
                  Optional.ofNullable(workflows.get(workflow))
                      .map(rollout -> rollout.primary(queue.store())),
              clock);
      int expired = approvals.expire().size();
      if (expired > 0) {
        LOG.info("node " + nodeId + ": applied the timeout decision to " + expired + " approvals");
      }
    } catch (StoreUnavailableException | JournalConflictException e) {
      LOG.log(Level.WARNING, "node " + nodeId + ": approval expiry skipped: " + e.getMessage());
    }
  }

  /** Renews every held lease at once, so that stores can commit the heartbeats together. */
  private void renewAll(List<Held> leases) {
    List<Thread> renewals = new ArrayList<>(leases.size());
    for (Held lease : leases) {
      renewals.add(Thread.ofVirtual().start(() -> renew(lease)));
    }
    long deadline = System.nanoTime() + heartbeat.toNanos();
    for (Thread renewal : renewals) {
      joinUntil(renewal, deadline);
    }
  }

  private void renew(Held holding) {
    Lease lease = holding.lease();
    try {
      Optional<Lease> renewed = queue.renew(lease, clock.instant(), leaseTime);
      if (renewed.isPresent()) {
        held.computeIfPresent(lease.runId().value(), (k, v) -> v.renewed(renewed.get()));
      } else {
        holding.lost().set(true);
        LOG.warning(
            "node " + nodeId + ": lost the lease on run " + lease.runId() + "; stopping it");
      }
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "node " + nodeId + ": heartbeat failed: " + e.getMessage());
    }
  }

  private void releaseQuietly(Lease lease) {
    try {
      queue.release(lease);
    } catch (StoreUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "node " + nodeId + ": release failed, the lease will expire: " + e.getMessage());
    }
  }

  private static void joinUntil(Thread thread, long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        thread.join(java.time.Duration.ofNanos(left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link Worker}; {@link #build()} names the field that is missing or wrong. */
  public static final class Builder {
    private String nodeId;
    private RunQueue queue;
    private final Map<String, Rollout> workflows = new ConcurrentHashMap<>();
    private int concurrency = 16;
    private Duration leaseTime = Duration.ofSeconds(15);
    private Duration pollInterval = Duration.ofMillis(200);
    private Clock clock = Clock.systemUTC();
    private Duration expiryInterval = Duration.ofSeconds(10);

    private Builder() {}

    /** How often the worker applies timed-out approvals' default decision (default 10 s). */
    public Builder approvalExpiryInterval(Duration interval) {
      this.expiryInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public Builder nodeId(String nodeId) {
      this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    public Builder queue(RunQueue queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * Serves runs of {@code workflow}: {@code agent} builds the workflow's agent on the journal it
     * is given (the fenced journal of the run's lease).
     */
    public Builder workflow(String workflow, Function<RunStore, Agent> agent) {
      return workflow(Rollout.of(workflow, agent));
    }

    /**
     * Serves the runs of {@code rollout}'s workflow: a new run on the version the rollout picks for
     * it, a run that started on the version it started with (and not at all when this node does not
     * serve that version).
     */
    public Builder workflow(Rollout rollout) {
      workflows.put(rollout.workflow(), rollout);
      return this;
    }

    /** How many runs this worker works on at once (default 16). */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How long a lease lasts without a heartbeat; heartbeats come every third of it (default 15 s).
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
      return this;
    }

    /** How long an idle slot waits before it looks for work again (default 200 ms). */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Worker build() {
      if (nodeId == null || nodeId.isBlank()) {
        throw new ConfigurationException("worker node-id is required");
      }
      if (queue == null) {
        throw new ConfigurationException("worker " + nodeId + ": a run queue is required");
      }
      if (workflows.isEmpty()) {
        throw new ConfigurationException("worker " + nodeId + ": serves no workflow");
      }
      if (concurrency < 1 || concurrency > 10_000) {
        throw new ConfigurationException(
            "worker concurrency must be between 1 and 10000, but was " + concurrency);
      }
      if (leaseTime.compareTo(Duration.ofMillis(300)) < 0) {
        throw new ConfigurationException("lease time must be at least 300ms, but was " + leaseTime);
      }
      return new Worker(this);
    }
  }
}
