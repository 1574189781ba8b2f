package dev.bridle.cli;

import dev.bridle.core.cluster.HeldLease;
import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/** What the run commands share. */
final class Runs {

  /** How long the command line holds a run's lease between heartbeats. */
  private static final Duration LEASE = Duration.ofSeconds(30);

  private Runs() {}

  /** Who resumes a run from the command line, as recorded on {@code RunResumed}. */
  static String holder() {
    return "cli:" + System.getProperty("user.name", "local");
  }

  /**
   * Resumes a run that has not ended under its lease, as a worker would, so that workers keep off
   * meanwhile; empty when a worker node holds the lease (it resumes the run itself).
   */
  static Optional<RunResult> resumeUnderLease(
      CommandLine.Model.CommandSpec spec,
      RunQueue queue,
      Agent.Builder agent,
      RunId id,
      Path workflowFile) {
    String holder = holder();
    Optional<Lease> claimed = queue.claimRun(id, holder, Clock.systemUTC().instant(), LEASE);
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    Lease lease = claimed.get();
    try (HeldLease held = HeldLease.hold(queue, lease, LEASE, Clock.systemUTC())) {
      Agent fenced = agent.journal(queue.fenced(lease)).build();
      return Optional.of(
          runOrExplain(spec, id, workflowFile, () -> fenced.resume(id, holder, held::lost)));
    }
  }

  /**
   * Runs {@code body}; if the store goes away or another writer takes the run, says so in one line
   * that tells how to continue, and exits with code 1.
   */
  static RunResult runOrExplain(
      CommandLine.Model.CommandSpec spec, RunId runId, Path workflow, Supplier<RunResult> body) {
    try {
      return body.get();
    } catch (StoreUnavailableException e) {
      throw new RunInterrupted(
          "the run store became unavailable during run "
              + runId
              + ": "
              + e.getMessage()
              + ". Every effect was recorded before it ran; once the store is back, continue with:"
              + " bridle resume "
              + runId
              + " --workflow "
              + workflow
              + " (a call whose result was not recorded runs again only if its tool is"
              + " idempotent; otherwise it is marked in doubt for a human)",
          e);
    } catch (dev.bridle.core.run.RunInterruptedException
        | dev.bridle.core.cluster.LeaseLostException e) {
      throw new RunInterrupted(
          "run " + runId + " stopped: another writer took its lease: " + e.getMessage(), e);
    } catch (JournalConflictException e) {
      throw new RunInterrupted(
          "run " + runId + " was taken over by another writer: " + e.getMessage(), e);
    }
  }

  /** A run stopped for a reason outside it (store, ownership); exit code 1. */
  static final class RunInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunInterrupted(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
