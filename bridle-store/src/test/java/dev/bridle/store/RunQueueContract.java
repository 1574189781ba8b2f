package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.cluster.Lease;
import dev.bridle.core.cluster.LeaseLostException;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.cluster.Worker;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.Usage;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunQueue} must do: which runs are claimable, leases and their epochs, fencing,
 * concurrent claimers on two nodes, and workers on two nodes running runs to the end. A queue's
 * test extends this class; core's in-memory queue is the reference.
 */
abstract class RunQueueContract {

  static final String TRIAGE = "support-triage";
  static final Set<String> WORKFLOWS = Set.of(TRIAGE);
  static final Duration LEASE = Duration.ofSeconds(30);

  /** Node A's queue. */
  protected RunQueue queue;

  /** Node B's queue, on the same database as node A's. */
  protected RunQueue other;

  /** A new queue over an empty store. */
  protected abstract RunQueue openQueue() throws Exception;

  /** Another node's queue on {@link #queue}'s database (the same queue where there is one JVM). */
  protected abstract RunQueue openAnotherNode() throws Exception;

  @BeforeEach
  void openTheQueues() throws Exception {
    queue = openQueue();
    other = openAnotherNode();
  }

  @AfterEach
  void closeTheQueues() {
    if (other.store() != queue.store()) {
      other.store().close();
    }
    queue.store().close();
  }

  // ---- claiming ----

  @Test
  void claimRunTakesOneGivenRunUnlessALiveLeaseHoldsItOrItEnded() {
    RunId queued = submit("run-q", 1);
    Lease byWorker = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    assertThat(other.claimRun(queued, "cli:dana", at(11), LEASE)).as("a worker holds it").isEmpty();

    Lease byCli = other.claimRun(queued, "cli:dana", at(10).plus(LEASE), LEASE).orElseThrow();

    assertThat(byCli.epoch()).isEqualTo(byWorker.epoch() + 1);
    assertThat(byCli.nodeId()).isEqualTo("cli:dana");
    assertThatThrownBy(() -> queue.fenced(byWorker).append(queued, 1, Events.started(at(12))))
        .isInstanceOf(LeaseLostException.class);
    assertThat(other.fenced(byCli).append(queued, 1, Events.started(at(12)))).isEqualTo(2);
    assertThat(queue.claimRun(RunId.of("run-nope"), "cli:dana", at(13), LEASE)).isEmpty();
  }

  @Test
  void claimTakesQueuedRunsOldestFirstAndGivesEachOneLease() {
    submit("run-c", 3);
    submit("run-a", 1);
    submit("run-b", 2);
    Instant now = at(10);

    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leases.add(queue.claim("node-a", WORKFLOWS, now, LEASE).orElseThrow());
    }

    assertThat(leases)
        .extracting(lease -> lease.runId().value())
        .containsExactly("run-a", "run-b", "run-c");
    assertThat(leases)
        .allSatisfy(
            lease -> {
              assertThat(lease.nodeId()).isEqualTo("node-a");
              assertThat(lease.epoch()).isEqualTo(1);
              assertThat(lease.expiresAt()).isEqualTo(now.plus(LEASE));
            });
    assertThat(queue.claim("node-a", WORKFLOWS, now, LEASE)).isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, now, LEASE)).isEmpty();
  }

  @Test
  void onlyRunsOfTheGivenWorkflowsAreClaimed() {
    submit("run-triage", TRIAGE, 1);
    submit("run-billing", "billing", 2);
    submit("run-refund", "refunds", 3);

    assertThat(queue.claim("node-a", Set.of(), at(10), LEASE)).isEmpty();
    assertThat(queue.claim("node-a", Set.of("unknown"), at(10), LEASE)).isEmpty();
    assertThat(queue.claim("node-a", Set.of("billing"), at(10), LEASE))
        .map(lease -> lease.runId().value())
        .contains("run-billing");
    assertThat(queue.claim("node-a", Set.of("refunds", "billing", TRIAGE), at(10), LEASE))
        .map(lease -> lease.runId().value())
        .contains("run-triage");
    assertThat(queue.claim("node-a", Set.of("refunds", "billing"), at(10), LEASE))
        .map(lease -> lease.runId().value())
        .contains("run-refund");
  }

  @Test
  void aLiveLeaseIsNotClaimedAgainUntilTheMomentItExpires() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    Instant expiry = first.expiresAt();

    assertThat(other.claim("node-b", WORKFLOWS, at(11), LEASE)).isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, expiry.minusNanos(1), LEASE)).isEmpty();
    Lease second = other.claim("node-b", WORKFLOWS, expiry, LEASE).orElseThrow();

    assertThat(second.runId()).isEqualTo(run);
    assertThat(second.nodeId()).isEqualTo("node-b");
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(queue.claim("node-a", WORKFLOWS, expiry, LEASE)).isEmpty();
  }

  @Test
  void aRunningRunWhoseNodeDiedIsClaimedOnceItsLeaseExpired() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    queue.fenced(first).append(run, 1, new RunEvent.RunResumed(at(11), "node-a"));
    queue.fenced(first).append(run, 2, Events.started(at(12)));
    assertThat(queue.store().find(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

    assertThat(other.claim("node-b", WORKFLOWS, at(20), LEASE)).isEmpty();
    Lease second = other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE).orElseThrow();

    assertThat(second.runId()).isEqualTo(run);
    assertThat(second.epoch()).isEqualTo(2);
  }

  @Test
  void runsThatAreNotWaitingForAWorkerAreNeverClaimed() {
    // started outside the queue (bridle run), then its process died: no lease, never claimed
    RunId local = RunId.of("run-local");
    queue.store().append(local, 0, Events.started(at(0)));
    queue.store().append(local, 1, Events.responded(at(1), 1, new Usage(10, 1, 0)));
    // submitted, then suspended, completed or failed under a lease that then expired
    leaveUnderAnExpiredLease(submit("run-suspended", 2), new RunEvent.RunSuspended(at(13), "ask"));
    leaveUnderAnExpiredLease(
        submit("run-completed", 3), new RunEvent.RunCompleted(at(13), "done", 1, Usage.ZERO));
    leaveUnderAnExpiredLease(
        submit("run-failed", 4),
        new RunEvent.RunFailed(
            at(13), RunEvent.FailureKind.STEP_LIMIT, "max-steps 1 reached", 1, Usage.ZERO));

    Instant muchLater = at(100_000);
    assertThat(queue.claim("node-a", WORKFLOWS, muchLater, LEASE)).isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, muchLater, LEASE)).isEmpty();
    assertThat(queue.store().find(local).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
  }

  @Test
  void aSuspendedRunIsClaimedByAnyNodeOnceItsDecisionIsRecorded() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    RunStore journal = queue.fenced(first);
    journal.appendAll(
        run,
        1,
        List.of(
            new RunEvent.RunResumed(at(11), "node-a"),
            Events.started(at(12)),
            Events.approvalRequested(at(13)),
            new RunEvent.RunSuspended(at(14), "approval of send_reply")));
    queue.release(first); // the node lets go of a run that waits for a human
    assertThat(other.claim("node-b", WORKFLOWS, at(15), LEASE)).as("waiting for a human").isEmpty();

    // the approver's decision, appended outside any lease (bridle approve, the approval API)
    other.store().append(run, 5, Events.approvalDecided(at(16)));

    assertThat(queue.store().find(run).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
    Lease second = other.claim("node-b", WORKFLOWS, at(17), LEASE).orElseThrow();
    assertThat(second.runId()).isEqualTo(run);
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(other.fenced(second).append(run, 6, new RunEvent.RunResumed(at(18), "node-b")))
        .isEqualTo(7);
    assertThatThrownBy(() -> journal.append(run, 7, new RunEvent.RunResumed(at(18), "node-a")))
        .isInstanceOf(LeaseLostException.class);
    assertThat(queue.claim("node-a", WORKFLOWS, at(19), LEASE)).isEmpty();
  }

  @Test
  void aDecisionRecordedWhileTheNodeStillHoldsTheLeaseWaitsForTheLeaseToEnd() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    queue
        .fenced(first)
        .appendAll(
            run,
            1,
            List.of(
                new RunEvent.RunResumed(at(11), "node-a"),
                Events.started(at(12)),
                new RunEvent.RunSuspended(at(13), "approval")));
    queue.store().append(run, 4, Events.approvalDecided(at(14)));

    assertThat(other.claim("node-b", WORKFLOWS, at(15), LEASE)).isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, first.expiresAt().minusNanos(1), LEASE)).isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE))
        .map(Lease::runId)
        .contains(run);
  }

  @Test
  void aKilledRunIsLeftToResumeAndACancelledOneToNobody() {
    RunId killed = submit("run-killed", 1);
    RunId cancelled = submit("run-cancelled", 2);
    leaveUnderAnExpiredLease(killed, Events.killed(at(13)));
    leaveUnderAnExpiredLease(
        cancelled, new RunEvent.RunCancelled(at(13), "ops:lee", "stale", 0, Usage.ZERO));
    Instant muchLater = at(100_000);

    assertThat(queue.claim("node-a", WORKFLOWS, muchLater, LEASE))
        .as("workers leave a killed run parked")
        .isEmpty();
    assertThat(other.claim("node-b", WORKFLOWS, muchLater, LEASE)).isEmpty();
    assertThat(other.claimRun(cancelled, "cli:lee", muchLater, LEASE)).isEmpty();

    // bridle resume, after the switch was revived
    Lease resume = other.claimRun(killed, "cli:lee", muchLater, LEASE).orElseThrow();
    assertThat(resume.epoch()).isEqualTo(2);
    assertThat(queue.claimRun(killed, "cli:dana", muchLater, LEASE))
        .as("resume holds it")
        .isEmpty();
    assertThat(
            other.fenced(resume).append(killed, 4, new RunEvent.RunResumed(muchLater, "cli:lee")))
        .isEqualTo(5);
    assertThat(queue.store().find(killed).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
  }

  private void leaveUnderAnExpiredLease(RunId run, RunEvent last) {
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    assertThat(lease.runId()).isEqualTo(run);
    RunStore journal = queue.fenced(lease);
    journal.append(run, 1, new RunEvent.RunResumed(at(11), "node-a"));
    journal.append(run, 2, Events.started(at(12)));
    journal.append(run, 3, last);
  }

  @Test
  void everyClaimRaisesTheRunsEpochAndAReleaseKeepsIt() {
    RunId run = submit("run-1", 1);

    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    queue.release(first);
    Lease second = other.claim("node-b", WORKFLOWS, at(11), LEASE).orElseThrow();
    Lease third = queue.claim("node-a", WORKFLOWS, second.expiresAt(), LEASE).orElseThrow();
    queue.release(third);
    Lease fourth = queue.claim("node-a", WORKFLOWS, second.expiresAt(), LEASE).orElseThrow();

    assertThat(List.of(first, second, third, fourth))
        .allSatisfy(lease -> assertThat(lease.runId()).isEqualTo(run))
        .extracting(Lease::epoch)
        .containsExactly(1L, 2L, 3L, 4L);
  }

  // ---- renewing and releasing ----

  @Test
  void renewingExtendsTheLeaseOfTheCurrentHolderOnly() {
    submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    Lease renewed = queue.renew(first, at(25), LEASE).orElseThrow();

    assertThat(renewed).isEqualTo(first.renewedUntil(at(25).plus(LEASE)));
    assertThat(other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE))
        .as("the renewed lease has not expired")
        .isEmpty();
    Lease second = other.claim("node-b", WORKFLOWS, renewed.expiresAt(), LEASE).orElseThrow();
    assertThat(queue.renew(renewed, renewed.expiresAt(), LEASE))
        .as("the lease went to node-b")
        .isEmpty();
    assertThat(other.renew(second, at(100), LEASE)).isPresent();
  }

  @Test
  void aReleasedRunIsClaimableAtOnceAndItsLeaseCannotBeRenewed() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    queue.release(first);

    assertThat(queue.renew(first, at(11), LEASE)).isEmpty();
    Lease second = other.claim("node-b", WORKFLOWS, at(11), LEASE).orElseThrow();
    assertThat(second.runId()).isEqualTo(run);
    assertThat(second.epoch()).isEqualTo(2);
  }

  @Test
  void releasingALostLeaseLeavesTheNewHoldersLeaseAlone() {
    submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    Lease second = other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE).orElseThrow();

    queue.release(first);

    assertThat(queue.claim("node-a", WORKFLOWS, first.expiresAt(), LEASE)).isEmpty();
    assertThat(other.renew(second, first.expiresAt(), LEASE)).isPresent();
  }

  // ---- fencing ----

  @Test
  void theOldHoldersAppendIsRefusedAfterATakeoverEvenWithTheRightSeq() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    RunStore oldJournal = queue.fenced(first);
    oldJournal.append(run, 1, new RunEvent.RunResumed(at(11), "node-a"));

    Lease second = other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE).orElseThrow();

    assertThatThrownBy(() -> oldJournal.append(run, 2, Events.started(at(41))))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("node node-a lost the lease on run run-1 (epoch 1)")
        .hasMessageContaining("epoch 2");
    assertThat(queue.store().read(run)).hasSize(2);
    RunStore newJournal = other.fenced(second);
    assertThat(newJournal.append(run, 2, new RunEvent.RunResumed(at(42), "node-b"))).isEqualTo(3);
    assertThat(newJournal.read(run))
        .extracting(JournalEntry::event)
        .last()
        .isEqualTo(new RunEvent.RunResumed(at(42), "node-b"));
  }

  @Test
  void aFencedAppendAllIsStoredWholeOrRefusedWhole() {
    RunId run = submit("run-1", 1);
    Lease first = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    RunStore oldJournal = queue.fenced(first);
    assertThat(
            oldJournal.appendAll(
                run, 1, List.of(new RunEvent.RunResumed(at(11), "node-a"), Events.started(at(12)))))
        .isEqualTo(3);

    Lease second = other.claim("node-b", WORKFLOWS, first.expiresAt(), LEASE).orElseThrow();

    List<RunEvent> step = RunStoreContract.toolCallStep(at(41), "call_1");
    assertThatThrownBy(() -> oldJournal.appendAll(run, 3, step))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("node node-a lost the lease on run run-1 (epoch 1)")
        .hasMessageContaining("epoch 2");
    assertThat(queue.store().read(run)).hasSize(3);
    assertThat(queue.store().find(run).orElseThrow().lastSeq()).isEqualTo(3);
    RunStore newJournal = other.fenced(second);
    assertThatThrownBy(() -> newJournal.appendAll(run, 2, step))
        .isInstanceOf(JournalConflictException.class);
    assertThatThrownBy(() -> newJournal.appendAll(RunId.of("run-other"), 0, step))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run-1");
    assertThat(newJournal.appendAll(run, 3, step)).isEqualTo(5);
    assertThat(newJournal.read(run))
        .extracting(JournalEntry::event)
        .endsWith(step.toArray(RunEvent[]::new));
    assertThat(queue.store().find(run).orElseThrow().lastSeq()).isEqualTo(5);
  }

  @Test
  void aSlowHolderWhoseLeaseExpiredStillWritesUntilAnotherNodeClaimsTheRun() {
    RunId run = submit("run-1", 1);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    // no heartbeat for an hour, and nobody claimed the run meanwhile: the epoch is still the
    // lease's
    assertThat(queue.fenced(lease).append(run, 1, new RunEvent.RunResumed(at(3600), "node-a")))
        .isEqualTo(2);
    assertThat(queue.renew(lease, at(3601), LEASE)).isPresent();
  }

  @Test
  void theCurrentHoldersAppendStillChecksTheSequence() {
    RunId run = submit("run-1", 1);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();

    assertThatThrownBy(
            () -> queue.fenced(lease).append(run, 5, new RunEvent.RunResumed(at(11), "node-a")))
        .isInstanceOf(JournalConflictException.class);
    assertThat(queue.fenced(lease).append(run, 1, new RunEvent.RunResumed(at(11), "node-a")))
        .isEqualTo(2);
  }

  @Test
  void aFencedJournalAppendsToItsOwnRunOnlyAndReadsEverything() {
    RunId mine = submit("run-mine", 1);
    RunId theirs = submit("run-theirs", 2);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    assertThat(lease.runId()).isEqualTo(mine);
    RunStore journal = queue.fenced(lease);

    assertThatThrownBy(() -> journal.append(theirs, 1, new RunEvent.RunResumed(at(11), "node-a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run-mine");
    assertThat(queue.store().read(theirs)).hasSize(1);
    assertThat(journal.read(theirs)).hasSize(1);
    assertThat(journal.find(theirs).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
    assertThat(journal.list(RunQuery.ALL)).hasSize(2);
    assertThat(journal.runIds()).containsExactly(mine, theirs);
  }

  @Test
  void aFencedAppendCannotCreateARun() {
    submit("run-1", 1);
    Lease lease = queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow();
    Lease forged = new Lease(RunId.of("run-nobody-claimed"), "node-a", 1, lease.expiresAt());

    assertThatThrownBy(
            () ->
                queue
                    .fenced(forged)
                    .append(forged.runId(), 0, new RunEvent.RunResumed(at(11), "node-a")))
        .isInstanceOf(LeaseLostException.class);
    assertThat(queue.store().find(forged.runId())).isEmpty();
  }

  /**
   * The holders append as fast as they can while another node takes one run over (whichever it
   * claims; PostgreSQL passes over the rows being appended to at that moment): once the claim has
   * returned, not one more event of the old holder may be stored, and the appends to the other
   * runs, in the same batches, go on.
   */
  @Test
  void aTakeoverFencesTheOldHolderAtOnceWhileOtherRunsGoOn() throws Exception {
    int runs = 6;
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      submit("run-" + i, i);
      leases.add(queue.claim("node-a", WORKFLOWS, at(10), LEASE).orElseThrow());
    }
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(runs);
    try {
      Map<RunId, Future<Integer>> appended = new LinkedHashMap<>();
      for (Lease lease : leases) {
        appended.put(lease.runId(), threads.submit(() -> appendUntilFenced(lease, stop)));
      }
      Thread.sleep(100);
      // PostgreSQL's claim passes over the rows locked by the batch being committed, which may be
      // all six at that moment: a worker would claim again at its next poll, and so does this
      Lease takeover =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(5))
              .until(() -> other.claim("node-b", WORKFLOWS, at(40), LEASE), Optional::isPresent)
              .orElseThrow();
      RunId lost = takeover.runId();
      long lastSeqAtTakeover = queue.store().find(lost).orElseThrow().lastSeq();
      Thread.sleep(100);
      stop.set(true);

      assertThat(appended.get(lost).get()).as(lost + "'s old holder was fenced").isEqualTo(-1);
      appended.forEach(
          (run, count) -> {
            if (!run.equals(lost)) {
              assertThat(count).as("appends to " + run).succeedsWithin(Duration.ofSeconds(10));
              assertThat(count.resultNow()).as("appends to " + run).isPositive();
            }
          });
      assertThat(queue.store().read(lost)).hasSize((int) lastSeqAtTakeover);
      assertThat(takeover.epoch()).isEqualTo(2);
    } finally {
      stop.set(true);
      threads.shutdownNow();
    }
  }

  /** Appends to the lease's run until {@code stop}; -1 when fenced, else how many it appended. */
  private int appendUntilFenced(Lease lease, AtomicBoolean stop) {
    RunStore journal = queue.fenced(lease);
    long seq = queue.store().find(lease.runId()).orElseThrow().lastSeq();
    int count = 0;
    while (!stop.get()) {
      try {
        seq = journal.append(lease.runId(), seq, new RunEvent.RunResumed(at(11), "node-a"));
        count++;
      } catch (LeaseLostException e) {
        return -1;
      }
    }
    return count;
  }

  // ---- many claimers ----

  @Test
  void concurrentClaimersOnTwoNodesClaimEveryRunExactlyOnce() throws Exception {
    int runCount = 200;
    for (int i = 0; i < runCount; i++) {
      submit("run-" + i, i);
    }
    int threadsPerNode = 8;
    CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
    ExecutorService threads = Executors.newFixedThreadPool(2 * threadsPerNode);
    List<Future<List<Lease>>> claimed = new ArrayList<>();
    try {
      for (int t = 0; t < threadsPerNode; t++) {
        claimed.add(threads.submit(() -> claimAll(queue, "node-a", start)));
        claimed.add(threads.submit(() -> claimAll(other, "node-b", start)));
      }
      List<Lease> all = new ArrayList<>();
      for (Future<List<Lease>> leases : claimed) {
        all.addAll(leases.get());
      }

      Map<RunId, Long> claimsPerRun =
          all.stream().collect(Collectors.groupingBy(Lease::runId, Collectors.counting()));
      assertThat(all).hasSize(runCount);
      assertThat(claimsPerRun).hasSize(runCount).allSatisfy((run, n) -> assertThat(n).isOne());
      assertThat(all).allSatisfy(lease -> assertThat(lease.epoch()).isOne());
      System.out.printf(
          "%s: %d runs claimed by %d threads on 2 nodes: %s%n",
          getClass().getSimpleName(),
          runCount,
          2 * threadsPerNode,
          all.stream().collect(Collectors.groupingBy(Lease::nodeId, Collectors.counting())));
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<Lease> claimAll(RunQueue queue, String node, CyclicBarrier start)
      throws Exception {
    start.await();
    List<Lease> leases = new ArrayList<>();
    while (true) {
      Optional<Lease> lease = queue.claim(node, WORKFLOWS, at(1_000), Duration.ofHours(1));
      if (lease.isEmpty()) {
        return leases;
      }
      leases.add(lease.get());
    }
  }

  // ---- workers ----

  record Noop(int n) {}

  @Test
  void workersOnTwoNodesRunEverySubmittedRunOnceAndEachToolEffectOnce() {
    int runCount = 40;
    for (int i = 0; i < runCount; i++) {
      queue.submit(RunId.of("run-" + i), TRIAGE, "count", "dana", Clock.systemUTC());
    }
    Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();

    try (Worker a = worker("node-a", queue, journal -> counter(journal, effects)).start();
        Worker b = worker("node-b", other, journal -> counter(journal, effects)).start()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  queue
                          .store()
                          .list(RunQuery.ALL.withStatus(RunStatus.COMPLETED).withLimit(100))
                          .size()
                      == runCount);
      assertThat(a.finishedRuns() + b.finishedRuns()).isEqualTo(runCount);
      System.out.printf(
          "%s: node-a finished %d runs, node-b %d%n",
          getClass().getSimpleName(), a.finishedRuns(), b.finishedRuns());
    }
    assertThat(effects).hasSize(2 * runCount);
    assertThat(effects.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    List<JournalEntry> journal = queue.store().read(RunId.of("run-0"));
    assertThat(journal.get(0).event()).isInstanceOf(RunEvent.RunSubmitted.class);
    assertThat(journal.getLast().event()).isInstanceOf(RunEvent.RunCompleted.class);
    assertThat(
            IntStream.range(0, runCount)
                .mapToObj(i -> queue.store().find(RunId.of("run-" + i)).orElseThrow().user()))
        .containsOnly("dana");
  }

  private static Worker worker(String node, RunQueue queue, Function<RunStore, Agent> agent) {
    return Worker.builder()
        .nodeId(node)
        .queue(queue)
        .workflow(TRIAGE, agent)
        .concurrency(4)
        .leaseTime(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .clock(Clock.system(ZoneOffset.UTC))
        .build();
  }

  private static Agent counter(RunStore journal, Map<String, AtomicInteger> effects) {
    Tool<Noop> noop =
        Tool.builder("noop", Noop.class)
            .description("Counts its calls per idempotency key")
            .handler(
                (args, ctx) -> {
                  effects
                      .computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger())
                      .incrementAndGet();
                  return "ok";
                })
            .build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("noop", Map.of("n", 1))
            .thenCall("noop", Map.of("n", 2))
            .thenAnswer("done")
            .build();
    return Agent.builder().name(TRIAGE).model(model).tool(noop).journal(journal).build();
  }

  // ---- helpers ----

  /** Submits a run of {@link #TRIAGE} at {@code at(second)}. */
  RunId submit(String id, int second) {
    return submit(id, TRIAGE, second);
  }

  RunId submit(String id, String workflow, int second) {
    return queue.submit(
        RunId.of(id),
        workflow,
        "Triage ticket T-" + second,
        "dana",
        Clock.fixed(at(second), ZoneOffset.UTC));
  }
}
