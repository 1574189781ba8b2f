package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static dev.bridle.store.Events.responded;
import static dev.bridle.store.Events.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do. A store's test extends this class and opens an empty store
 * for each test; core's in-memory store is the reference.
 */
abstract class RunStoreContract {

  protected RunStore store;

  /** A new, empty store. */
  protected abstract RunStore openStore() throws Exception;

  @BeforeEach
  void openTheStore() throws Exception {
    store = openStore();
  }

  @AfterEach
  void closeTheStore() {
    store.close();
  }

  // ---- the journal ----

  @Test
  void appendNumbersTheEventsOfARunFromOneAndReadGivesThemBackInOrder() {
    RunId run = RunId.of("run-order");
    List<RunEvent> events = Events.everyType().subList(1, 7);

    for (int i = 0; i < events.size(); i++) {
      assertThat(store.append(run, i, events.get(i))).isEqualTo(i + 1);
    }

    List<JournalEntry> read = store.read(run);
    assertThat(read).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(read).extracting(JournalEntry::event).containsExactlyElementsOf(events);
    assertThat(read).allSatisfy(entry -> assertThat(entry.runId()).isEqualTo(run));
  }

  @Test
  void anAppendWithAStaleOrFutureExpectedSeqConflictsAndStoresNothing() {
    RunId run = RunId.of("run-conflict");
    appendAll(
        run, started(at(0)), responded(at(1), 1, Usage.ZERO), responded(at(2), 2, Usage.ZERO));
    RunSummary before = store.find(run).orElseThrow();

    assertThatThrownBy(() -> store.append(run, 1, responded(at(3), 3, Usage.ZERO)))
        .isInstanceOf(JournalConflictException.class)
        .hasMessage(
            "run run-conflict: expected its last event to be #1 but it is #3;"
                + " another writer owns this run");
    assertThatThrownBy(() -> store.append(run, 5, responded(at(3), 3, Usage.ZERO)))
        .isInstanceOf(JournalConflictException.class)
        .hasMessageContaining("expected its last event to be #5 but it is #3");
    RunId fresh = RunId.of("run-never-started");
    assertThatThrownBy(() -> store.append(fresh, 1, started(at(4))))
        .isInstanceOf(JournalConflictException.class)
        .hasMessageContaining("expected its last event to be #1 but it is #0");

    assertThat(store.read(run)).hasSize(3);
    assertThat(store.find(run)).contains(before);
    assertThat(store.read(fresh)).isEmpty();
    assertThat(store.find(fresh)).isEmpty();
    assertThat(store.runIds()).containsExactly(run);
  }

  @Test
  void writersRacingOnOneRunGetExactlyOneWinnerForEachSeq() throws Exception {
    RunId run = RunId.of("run-race");
    int writers = 4;
    int rounds = 25;
    CyclicBarrier barrier = new CyclicBarrier(writers);
    AtomicInteger[] winners = new AtomicInteger[rounds];
    Arrays.setAll(winners, i -> new AtomicInteger());
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String writer = "writer-" + w;
        done.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < rounds; round++) {
                    barrier.await(10, TimeUnit.SECONDS);
                    RunEvent event =
                        round == 0
                            ? started(at(0), "race", writer, "race")
                            : new RunEvent.RunResumed(at(round), writer);
                    try {
                      store.append(run, round, event);
                      winners[round].incrementAndGet();
                    } catch (JournalConflictException expected) {
                      // another writer got this seq
                    }
                    barrier.await(10, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(winners).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(store.read(run))
        .extracting(JournalEntry::seq)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, rounds).mapToObj(i -> (long) i).toList());
    assertThat(store.find(run).orElseThrow().lastSeq()).isEqualTo(rounds);
  }

  @Test
  void concurrentWritersOnDifferentRunsAllSucceed() throws Exception {
    int writers = 8;
    int eventsPerRun = 30;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        RunId run = RunId.of("run-parallel-" + w);
        done.add(
            pool.submit(
                () -> {
                  store.append(run, 0, started(at(0)));
                  for (int step = 1; step < eventsPerRun; step++) {
                    assertThat(
                            store.append(run, step, responded(at(step), step, new Usage(10, 1, 0))))
                        .isEqualTo(step + 1);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.runIds()).hasSize(writers);
    for (int w = 0; w < writers; w++) {
      RunId run = RunId.of("run-parallel-" + w);
      assertThat(store.read(run)).hasSize(eventsPerRun);
      RunSummary summary = store.find(run).orElseThrow();
      assertThat(summary.lastSeq()).isEqualTo(eventsPerRun);
      assertThat(summary.steps()).isEqualTo(eventsPerRun - 1);
      assertThat(summary.usage())
          .isEqualTo(new Usage(10L * (eventsPerRun - 1), eventsPerRun - 1, 0));
    }
  }

  @Test
  void readAfterGivesTheEventsAfterASeq() {
    RunId run = RunId.of("run-tail");
    appendAll(run, Events.everyType().subList(1, 6).toArray(RunEvent[]::new));

    assertThat(store.readAfter(run, 0)).isEqualTo(store.read(run)).hasSize(5);
    assertThat(store.readAfter(run, 2)).extracting(JournalEntry::seq).containsExactly(3L, 4L, 5L);
    assertThat(store.readAfter(run, 4)).extracting(JournalEntry::seq).containsExactly(5L);
    assertThat(store.readAfter(run, 5)).isEmpty();
    assertThat(store.readAfter(run, 99)).isEmpty();
    assertThat(store.readAfter(run, -1)).hasSize(5);
    assertThat(store.readAfter(RunId.of("run-unknown"), 0)).isEmpty();
    assertThat(store.read(RunId.of("run-unknown"))).isEmpty();
  }

  @Test
  void runIdsListsRunsOldestFirst() {
    assertThat(store.runIds()).isEmpty();
    appendAll(RunId.of("run-c"), started(at(10)));
    appendAll(RunId.of("run-a"), started(at(20)));
    appendAll(RunId.of("run-b"), started(at(30)), responded(at(31), 1, Usage.ZERO));

    assertThat(store.runIds()).extracting(RunId::value).containsExactly("run-c", "run-a", "run-b");
  }

  // ---- appending several events at once ----

  @Test
  void appendAllStoresTheEventsAsTheNextNumbersAndFoldsThemIntoTheIndex() {
    RunId run = RunId.of("run-append-all");
    store.append(run, 0, started(at(0)));
    store.append(run, 1, responded(at(1), 1, new Usage(10, 1, 0)));
    List<RunEvent> step = toolCallStep(at(2), "call_1");

    assertThat(store.appendAll(run, 2, step)).isEqualTo(4);

    List<JournalEntry> read = store.read(run);
    assertThat(read).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(read.subList(2, 4)).extracting(JournalEntry::event).containsExactlyElementsOf(step);
    assertThat(store.find(run)).contains(fold(read));
    assertThat(store.append(run, 4, responded(at(5), 2, Usage.ZERO))).isEqualTo(5);
  }

  @Test
  void appendAllCanStartARun() {
    RunId run = RunId.of("run-append-all-first");

    assertThat(
            store.appendAll(
                run, 0, List.of(started(at(0)), responded(at(1), 1, new Usage(5, 2, 0)))))
        .isEqualTo(2);

    assertThat(store.read(run)).hasSize(2);
    assertThat(store.find(run)).contains(fold(store.read(run)));
    assertThat(store.runIds()).containsExactly(run);
  }

  @Test
  void anAppendAllThatConflictsStoresNoneOfItsEvents() {
    RunId run = RunId.of("run-append-all-conflict");
    appendAll(run, started(at(0)), responded(at(1), 1, Usage.ZERO));
    RunSummary before = store.find(run).orElseThrow();

    assertThatThrownBy(() -> store.appendAll(run, 1, toolCallStep(at(2), "call_1")))
        .isInstanceOf(JournalConflictException.class)
        .hasMessageContaining("expected its last event to be #1 but it is #2");
    RunId fresh = RunId.of("run-append-all-never-started");
    assertThatThrownBy(() -> store.appendAll(fresh, 1, List.of(started(at(3)), started(at(4)))))
        .isInstanceOf(JournalConflictException.class)
        .hasMessageContaining("expected its last event to be #1 but it is #0");

    assertThat(store.read(run)).hasSize(2);
    assertThat(store.find(run)).contains(before);
    assertThat(store.find(fresh)).isEmpty();
    assertThat(store.runIds()).containsExactly(run);
  }

  @Test
  void appendAllOfNoEventsStoresNothing() {
    RunId run = RunId.of("run-append-nothing");
    store.append(run, 0, started(at(0)));

    assertThat(store.appendAll(run, 1, List.of())).isEqualTo(1);

    assertThat(store.read(run)).hasSize(1);
    assertThat(store.find(run).orElseThrow().lastSeq()).isEqualTo(1);
  }

  @Test
  void writersRacingWithAppendAllEachStoreWholeStepsOrNothing() throws Exception {
    RunId run = RunId.of("run-race-all");
    int writers = 4;
    int rounds = 20;
    CyclicBarrier barrier = new CyclicBarrier(writers);
    AtomicInteger[] winners = new AtomicInteger[rounds];
    Arrays.setAll(winners, i -> new AtomicInteger());
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String writer = "writer-" + w;
        done.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < rounds; round++) {
                    barrier.await(10, TimeUnit.SECONDS);
                    RunEvent first =
                        round == 0
                            ? started(at(0), "race", writer, "race")
                            : new RunEvent.RunResumed(at(round), writer);
                    try {
                      store.appendAll(
                          run,
                          2L * round,
                          List.of(first, new RunEvent.RunResumed(at(round), writer)));
                      winners[round].incrementAndGet();
                    } catch (JournalConflictException expected) {
                      // another writer got this step
                    }
                    barrier.await(10, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(winners).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    List<JournalEntry> read = store.read(run);
    assertThat(read)
        .extracting(JournalEntry::seq)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 2 * rounds).mapToObj(i -> (long) i).toList());
    for (int round = 0; round < rounds; round++) {
      assertThat(((RunEvent.RunResumed) read.get(2 * round + 1).event()).by())
          .as("both events of round %d are one writer's", round)
          .isEqualTo(
              read.get(2 * round).event() instanceof RunEvent.RunStarted s
                  ? s.user()
                  : ((RunEvent.RunResumed) read.get(2 * round).event()).by());
    }
    assertThat(store.find(run)).contains(fold(read));
  }

  @Test
  void concurrentAppendsAndAppendAllsOnDifferentRunsKeepEveryIndexRowEqualToTheFold()
      throws Exception {
    int writers = 8;
    int steps = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        RunId run = RunId.of("run-steps-" + w);
        done.add(
            pool.submit(
                () -> {
                  long seq = store.append(run, 0, started(at(0)));
                  for (int step = 1; step <= steps; step++) {
                    seq = store.append(run, seq, responded(at(step), step, new Usage(10, 1, 0)));
                    seq = store.appendAll(run, seq, toolCallStep(at(step), "call_" + step));
                    seq =
                        store.append(
                            run,
                            seq,
                            new RunEvent.ToolCallCompleted(
                                at(step),
                                "call_" + step,
                                "get_ticket",
                                RunEvent.CallStatus.SUCCEEDED,
                                "{}",
                                3));
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int w = 0; w < writers; w++) {
      RunId run = RunId.of("run-steps-" + w);
      List<JournalEntry> read = store.read(run);
      assertThat(read).hasSize(1 + 4 * steps);
      assertThat(store.find(run)).contains(fold(read));
      assertThat(store.find(run).orElseThrow().steps()).isEqualTo(steps);
    }
  }

  // ---- the index ----

  @Test
  void theIndexRowIsCoresFoldOfTheEventsAfterEveryAppend() {
    RunId run = RunId.of("run-fold");
    List<RunEvent> events =
        List.of(
            started(at(0)),
            responded(at(1), 1, new Usage(1200, 80, 512)),
            new RunEvent.ToolCallProposed(at(2), 1, "call_1", "get_ticket", "{}"),
            new RunEvent.ToolCallStarted(
                at(3), "call_1", "get_ticket", dev.bridle.core.tool.Effect.READ, true, "k", "{}"),
            new RunEvent.ToolCallCompleted(
                at(4), "call_1", "get_ticket", RunEvent.CallStatus.SUCCEEDED, "{}", 12),
            responded(at(5), 2, new Usage(1500, 120, 1024)),
            new RunEvent.RunSuspended(at(6), "approval"),
            new RunEvent.RunResumed(at(7), "node-1"),
            new RunEvent.RunCompleted(at(8), "done", 2, new Usage(2700, 200, 1536)));

    assertThat(store.find(run)).isEmpty();
    RunSummary expected = null;
    for (int i = 0; i < events.size(); i++) {
      store.append(run, i, events.get(i));
      expected =
          expected == null
              ? RunSummary.start(run, events.get(i))
              : expected.after(i + 1, events.get(i));
      assertThat(store.find(run)).as("after event #%d", i + 1).contains(expected);
    }
    assertThat(expected.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(expected.steps()).isEqualTo(2);
    assertThat(expected.usage()).isEqualTo(new Usage(2700, 200, 1536));
    assertThat(expected.createdAt()).isEqualTo(at(0));
    assertThat(expected.updatedAt()).isEqualTo(at(8));
  }

  @Test
  void theStatusFollowsTheRunFromQueuedToItsEnd() {
    RunId failing = RunId.of("run-failing");
    assertThat(statusAfter(failing, new RunEvent.RunSubmitted(at(0), "expenses", "lee", "Check")))
        .isEqualTo(RunStatus.QUEUED);
    RunSummary queued = store.find(failing).orElseThrow();
    assertThat(queued.workflow()).isEqualTo("expenses");
    assertThat(queued.workflowVersion()).isEmpty();
    assertThat(queued.user()).isEqualTo("lee");
    assertThat(statusAfter(failing, started(at(1), "expenses", "lee", "Check")))
        .isEqualTo(RunStatus.RUNNING);
    assertThat(statusAfter(failing, new RunEvent.RunSuspended(at(2), "approval")))
        .isEqualTo(RunStatus.SUSPENDED);
    assertThat(
            statusAfter(
                failing, new RunEvent.ToolCallInDoubt(at(3), "c1", "refund", "k", "crashed")))
        .isEqualTo(RunStatus.SUSPENDED);
    assertThat(statusAfter(failing, new RunEvent.RunResumed(at(4), "ops")))
        .isEqualTo(RunStatus.RUNNING);
    assertThat(
            statusAfter(
                failing,
                new RunEvent.RunFailed(
                    at(5), RunEvent.FailureKind.DEADLINE, "late", 0, Usage.ZERO)))
        .isEqualTo(RunStatus.FAILED);

    RunId completing = RunId.of("run-completing");
    assertThat(statusAfter(completing, started(at(6)))).isEqualTo(RunStatus.RUNNING);
    assertThat(
            statusAfter(completing, new RunEvent.RunCompleted(at(7), "ok", 1, new Usage(1, 1, 0))))
        .isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void theIndexFollowsApprovalsKillsAndCancellationsAsCoreFoldsThem() {
    RunId run = RunId.of("run-governed");
    Usage usage = new Usage(1843, 212, 1024);
    Map<RunEvent, RunStatus> steps = new LinkedHashMap<>();
    steps.put(started(at(0)), RunStatus.RUNNING);
    steps.put(
        new RunEvent.PolicyDecided(
            at(1),
            "call_1",
            "send_reply",
            Verdict.ASK,
            "effect:EXTERNAL",
            "reaches a customer",
            "policy-3"),
        RunStatus.RUNNING);
    steps.put(Events.approvalRequested(at(2)), RunStatus.RUNNING);
    steps.put(new RunEvent.RunSuspended(at(3), "approval of send_reply"), RunStatus.SUSPENDED);
    // the decision puts the run back on the queue, for any node that serves its workflow
    steps.put(Events.approvalDecided(at(4)), RunStatus.QUEUED);
    steps.put(new RunEvent.RunResumed(at(5), "node-2"), RunStatus.RUNNING);
    // a decision changes only a suspended run
    steps.put(Events.approvalDecided(at(6)), RunStatus.RUNNING);
    steps.put(Events.killed(at(7)), RunStatus.KILLED);
    // resumed after the switch was revived
    steps.put(new RunEvent.RunResumed(at(8), "cli:lee"), RunStatus.RUNNING);
    steps.put(Events.killed(at(9)), RunStatus.KILLED);
    steps.put(
        new RunEvent.RunCancelled(at(10), "ops:lee", "not worth resuming", 1, usage),
        RunStatus.CANCELLED);

    long seq = 0;
    for (Map.Entry<RunEvent, RunStatus> step : steps.entrySet()) {
      seq = store.append(run, seq, step.getKey());
      assertThat(store.find(run))
          .as("after event #%d, %s", seq, step.getKey().getClass().getSimpleName())
          .contains(fold(store.read(run)))
          .get()
          .extracting(RunSummary::status)
          .isEqualTo(step.getValue());
    }

    assertThat(store.read(run))
        .extracting(JournalEntry::event)
        .containsExactlyElementsOf(steps.keySet());
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.CANCELLED))).containsExactly("run-governed");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.KILLED))).isEmpty();
  }

  @Test
  void killedAndCancelledRunsAreListedByTheirStatus() {
    appendAll(RunId.of("r-killed"), started(at(1)), Events.killed(at(2)));
    appendAll(
        RunId.of("r-cancelled"),
        started(at(3)),
        new RunEvent.RunSuspended(at(4), "approval"),
        new RunEvent.RunCancelled(at(5), "ops:lee", "stale", 0, Usage.ZERO));
    appendAll(
        RunId.of("r-decided"),
        started(at(6)),
        new RunEvent.RunSuspended(at(7), "approval"),
        Events.approvalDecided(at(8)));

    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.KILLED))).containsExactly("r-killed");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.CANCELLED))).containsExactly("r-cancelled");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.QUEUED))).containsExactly("r-decided");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.SUSPENDED))).isEmpty();
  }

  @Test
  void aChangeRevertedAfterTheRunCompletedIsAppendedAndTheRunStaysCompleted() {
    RunId run = RunId.of("run-reverted");
    appendAll(
        run,
        started(at(0)),
        Events.completedWithChange(at(1), "call_1"),
        new RunEvent.RunCompleted(at(2), "Raised the priority.", 1, Usage.ZERO));
    RunEvent.ChangeReverted failedFirst =
        new RunEvent.ChangeReverted(
            at(3),
            "call_1",
            "set_priority",
            "set_priority",
            "{\"ticketId\":\"T-1042\",\"priority\":\"normal\"}",
            RunEvent.CallStatus.TIMED_OUT,
            "helpdesk did not answer in 10 s",
            "ops:lee");

    assertThat(store.append(run, 3, failedFirst)).isEqualTo(4);
    assertThat(store.append(run, 4, Events.reverted(at(4), "call_1"))).isEqualTo(5);

    List<JournalEntry> read = store.read(run);
    assertThat(read.subList(3, 5))
        .extracting(JournalEntry::event)
        .containsExactly(failedFirst, Events.reverted(at(4), "call_1"));
    assertThat(((RunEvent.ToolCallCompleted) read.get(1).event()).change())
        .isEqualTo(Events.completedWithChange(at(1), "call_1").change());
    RunSummary summary = store.find(run).orElseThrow();
    assertThat(summary).isEqualTo(fold(read));
    assertThat(summary.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(summary.lastSeq()).isEqualTo(5);
  }

  @Test
  void theTaskPreviewIsCutTo200Characters() {
    String task = "Überprüfe Ticket T-1042 für 日本の顧客 — ".repeat(20);
    RunId run = RunId.of("run-long-task");
    store.append(run, 0, started(at(0), "support-triage", "dana", task));

    RunSummary summary = store.find(run).orElseThrow();
    assertThat(summary.task())
        .hasSize(RunSummary.TASK_PREVIEW_CHARS)
        .isEqualTo(task.substring(0, 200));
    assertThat(((RunEvent.RunStarted) store.read(run).get(0).event()).task()).isEqualTo(task);
  }

  @Test
  void listFiltersByStatusWorkflowUserAndCreationTime() {
    appendAll(RunId.of("r1"), started(at(10), "triage", "dana", "a"));
    appendAll(
        RunId.of("r2"),
        started(at(20), "triage", "lee", "b"),
        new RunEvent.RunCompleted(at(21), "ok", 0, Usage.ZERO));
    appendAll(
        RunId.of("r3"),
        started(at(30), "expenses", "dana", "c"),
        new RunEvent.RunSuspended(at(31), "approval"));
    appendAll(RunId.of("r4"), new RunEvent.RunSubmitted(at(40), "expenses", "lee", "d"));

    assertThat(ids(RunQuery.ALL)).containsExactly("r4", "r3", "r2", "r1");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.RUNNING))).containsExactly("r1");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.COMPLETED))).containsExactly("r2");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.SUSPENDED))).containsExactly("r3");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.QUEUED))).containsExactly("r4");
    assertThat(ids(RunQuery.ALL.withStatus(RunStatus.FAILED))).isEmpty();
    assertThat(ids(RunQuery.ALL.withWorkflow("triage"))).containsExactly("r2", "r1");
    assertThat(ids(RunQuery.ALL.withUser("dana"))).containsExactly("r3", "r1");
    assertThat(ids(RunQuery.ALL.withWorkflow("expenses").withUser("lee"))).containsExactly("r4");
    assertThat(ids(RunQuery.ALL.withCreatedAfter(at(20)))).containsExactly("r4", "r3");
    assertThat(ids(RunQuery.ALL.withCreatedBefore(at(30)))).containsExactly("r2", "r1");
    assertThat(ids(RunQuery.ALL.withCreatedAfter(at(10)).withCreatedBefore(at(40))))
        .containsExactly("r3", "r2");
    assertThat(ids(RunQuery.ALL.withCreatedAfter(Instant.MIN).withCreatedBefore(Instant.MAX)))
        .hasSize(4);
    assertThat(ids(RunQuery.ALL.withWorkflow("nope"))).isEmpty();
    assertThat(store.list(RunQuery.ALL.withUser("dana")))
        .allSatisfy(run -> assertThat(run).isEqualTo(store.find(run.runId()).orElseThrow()));
  }

  @Test
  void listGivesTheNewestRunsFirstUpToTheLimit() {
    for (int i = 0; i < 12; i++) {
      appendAll(RunId.of("run-" + (char) ('a' + i)), started(at(100 - i * 5)));
    }
    // two runs created at the same instant: the larger id comes first, like core's order
    appendAll(RunId.of("run-tie-B"), started(at(1000)));
    appendAll(RunId.of("run-tie-a"), started(at(1000)));

    assertThat(ids(RunQuery.ALL.withLimit(3))).containsExactly("run-tie-a", "run-tie-B", "run-a");
    assertThat(ids(RunQuery.ALL.withLimit(1))).containsExactly("run-tie-a");
    List<String> all = ids(RunQuery.ALL);
    assertThat(all).hasSize(14).endsWith("run-k", "run-l");
    assertThat(store.list(RunQuery.ALL))
        .extracting(RunSummary::createdAt)
        .isSortedAccordingTo((x, y) -> y.compareTo(x));
  }

  // ---- snapshots ----

  @Test
  void aLaterSnapshotReplacesAnEarlierOneButNotTheReverse() {
    RunId run = RunId.of("run-snap");
    appendAll(run, Events.everyType().subList(1, 6).toArray(RunEvent[]::new));
    assertThat(store.latestSnapshot(run)).isEmpty();

    store.saveSnapshot(new Snapshot(run, 2, "{\"step\":1,\"note\":\"ünïcødé ✓\"}"));
    assertThat(store.latestSnapshot(run))
        .contains(new Snapshot(run, 2, "{\"step\":1,\"note\":\"ünïcødé ✓\"}"));

    store.saveSnapshot(new Snapshot(run, 4, "{\"step\":2}"));
    assertThat(store.latestSnapshot(run)).contains(new Snapshot(run, 4, "{\"step\":2}"));

    store.saveSnapshot(new Snapshot(run, 3, "{\"step\":\"older\"}"));
    store.saveSnapshot(new Snapshot(run, 4, "{\"step\":\"same seq\"}"));
    assertThat(store.latestSnapshot(run)).contains(new Snapshot(run, 4, "{\"step\":2}"));
    assertThat(store.latestSnapshot(RunId.of("run-other"))).isEmpty();
  }

  // ---- retention ----

  @Test
  void pruningDeletesOnlyRunsThatEndedBeforeTheCutoff() {
    Instant cutoff = at(100);
    appendAll(
        RunId.of("completed-old"),
        started(at(1)),
        new RunEvent.RunCompleted(at(2), "ok", 0, Usage.ZERO));
    appendAll(
        RunId.of("failed-old"),
        started(at(3)),
        new RunEvent.RunFailed(at(4), RunEvent.FailureKind.ERROR, "boom", 0, Usage.ZERO));
    appendAll(
        RunId.of("completed-at-cutoff"),
        started(at(5)),
        new RunEvent.RunCompleted(cutoff, "ok", 0, Usage.ZERO));
    appendAll(
        RunId.of("completed-new"),
        started(at(6)),
        new RunEvent.RunCompleted(at(200), "ok", 0, Usage.ZERO));
    appendAll(RunId.of("running-old"), started(at(7)));
    appendAll(
        RunId.of("suspended-old"), started(at(8)), new RunEvent.RunSuspended(at(9), "approval"));
    appendAll(RunId.of("queued-old"), new RunEvent.RunSubmitted(at(10), "triage", "dana", "t"));
    store.saveSnapshot(new Snapshot(RunId.of("completed-old"), 1, "{}"));
    store.saveSnapshot(new Snapshot(RunId.of("running-old"), 1, "{}"));

    assertThat(store.pruneEndedBefore(cutoff)).isEqualTo(2);

    assertThat(store.runIds())
        .extracting(RunId::value)
        .containsExactly(
            "completed-at-cutoff", "completed-new", "running-old", "suspended-old", "queued-old");
    for (String gone : List.of("completed-old", "failed-old")) {
      assertThat(store.read(RunId.of(gone))).isEmpty();
      assertThat(store.find(RunId.of(gone))).isEmpty();
      assertThat(store.latestSnapshot(RunId.of(gone))).isEmpty();
    }
    assertThat(store.read(RunId.of("running-old"))).hasSize(1);
    assertThat(store.latestSnapshot(RunId.of("running-old"))).isPresent();
    assertThat(store.read(RunId.of("suspended-old"))).hasSize(2);
    assertThat(store.pruneEndedBefore(cutoff)).isZero();
    assertThat(store.pruneEndedBefore(Instant.MAX)).isEqualTo(2);
    assertThat(store.runIds())
        .extracting(RunId::value)
        .containsExactly("running-old", "suspended-old", "queued-old");
  }

  @Test
  void pruningDeletesCancelledRunsButNeverKilledOrDecidedOnes() {
    Instant cutoff = at(100);
    appendAll(
        RunId.of("cancelled-old"),
        started(at(1)),
        Events.killed(at(2)),
        new RunEvent.RunCancelled(at(3), "ops:lee", "not worth resuming", 1, Usage.ZERO));
    appendAll(RunId.of("killed-old"), started(at(4)), Events.killed(at(5)));
    appendAll(
        RunId.of("decided-old"),
        started(at(6)),
        new RunEvent.RunSuspended(at(7), "approval"),
        Events.approvalDecided(at(8)));
    appendAll(
        RunId.of("cancelled-new"),
        started(at(9)),
        new RunEvent.RunCancelled(at(200), "ops:lee", "stale", 0, Usage.ZERO));
    appendAll(
        RunId.of("completed-reverted-late"),
        started(at(10)),
        new RunEvent.RunCompleted(at(11), "ok", 0, Usage.ZERO),
        Events.reverted(at(150), "call_1"));
    store.saveSnapshot(new Snapshot(RunId.of("cancelled-old"), 2, "{}"));

    assertThat(store.pruneEndedBefore(cutoff)).isEqualTo(1);

    assertThat(store.runIds())
        .extracting(RunId::value)
        .containsExactly("killed-old", "decided-old", "cancelled-new", "completed-reverted-late");
    assertThat(store.read(RunId.of("cancelled-old"))).isEmpty();
    assertThat(store.latestSnapshot(RunId.of("cancelled-old"))).isEmpty();
    assertThat(store.pruneEndedBefore(Instant.MAX)).isEqualTo(2);
    assertThat(store.runIds())
        .extracting(RunId::value)
        .containsExactly("killed-old", "decided-old");
    assertThat(store.read(RunId.of("killed-old"))).hasSize(2);
  }

  // ---- what goes in comes out ----

  @Test
  void everyEventTypeSurvivesTheStoreUnchanged() {
    List<RunEvent> events = Events.everyType();
    Set<Class<?>> covered = events.stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(covered)
        .as("Events.everyType() covers every event type")
        .containsExactlyInAnyOrder(RunEvent.class.getPermittedSubclasses());

    RunId run = RunId.of("run-every-type");
    appendAll(run, events.toArray(RunEvent[]::new));

    assertThat(store.read(run)).extracting(JournalEntry::event).containsExactlyElementsOf(events);
  }

  @Test
  void unicodeAndLargeBodiesSurviveTheStoreUnchanged() {
    String mixed =
        "Grüße, 日本語, العربية, עברית, emoji 🚀👩‍💻, combining é, quotes \" ' `, backslash \\,"
            + " tab\t, newline\n, control \u0007, line separator \u2028 — ";
    // NUL, and half an emoji as left by a tool that cut its output in the middle of one
    String observation =
        (mixed + "NUL \u0000 ").repeat(200_000 / mixed.length() + 1) + "cut \uD83D";
    assertThat(observation.length()).isGreaterThan(200_000);
    RunId run = RunId.of("run-big");
    RunEvent big =
        new RunEvent.ToolCallCompleted(
            at(2), "call_1", "fetch_page", RunEvent.CallStatus.SUCCEEDED, observation, 1_250);

    appendAll(run, started(at(0), "web", "zoë", mixed), big);

    assertThat(store.read(run).get(1).event()).isEqualTo(big);
    assertThat(((RunEvent.RunStarted) store.read(run).get(0).event()).task()).isEqualTo(mixed);
    assertThat(store.find(run).orElseThrow().user()).isEqualTo("zoë");
    assertThat(store.find(run).orElseThrow().task()).isEqualTo(mixed);
    // a snapshot comes back as the same JSON (a store may escape what it cannot hold as text)
    String state = toJson(Map.of("last", "cut \uD83D", "text", mixed));
    store.saveSnapshot(new Snapshot(run, 2, state));
    assertThat(json(store.latestSnapshot(run).orElseThrow().stateJson())).isEqualTo(json(state));
  }

  @Test
  void timesKeepTheirNanoseconds() {
    Instant at = Instant.parse("2026-03-01T09:00:00.987654321Z");
    RunId run = RunId.of("run-nanos");
    appendAll(run, started(at), new RunEvent.RunResumed(at.plusNanos(1), "node-1"));

    RunSummary summary = store.find(run).orElseThrow();
    assertThat(summary.createdAt()).isEqualTo(at);
    assertThat(summary.updatedAt()).isEqualTo(at.plusNanos(1));
    assertThat(store.read(run).get(1).event().at()).isEqualTo(at.plusNanos(1));
    assertThat(ids(RunQuery.ALL.withCreatedAfter(at.minusNanos(1)))).containsExactly("run-nanos");
    assertThat(ids(RunQuery.ALL.withCreatedAfter(at))).isEmpty();
  }

  // ---- helpers ----

  /** Appends {@code events} after the run's current last event. */
  protected void appendAll(RunId run, RunEvent... events) {
    long last = store.find(run).map(RunSummary::lastSeq).orElse(0L);
    for (RunEvent event : events) {
      last = store.append(run, last, event);
    }
  }

  /** A tool call proposed and started, as the agent loop appends them together. */
  static List<RunEvent> toolCallStep(Instant at, String callId) {
    return List.of(
        new RunEvent.ToolCallProposed(at, 1, callId, "get_ticket", "{}"),
        new RunEvent.ToolCallStarted(
            at.plusNanos(1),
            callId,
            "get_ticket",
            dev.bridle.core.tool.Effect.READ,
            true,
            "k-" + callId,
            "{}"));
  }

  /** Core's fold of {@code entries}, the reference for the index. */
  private static RunSummary fold(List<JournalEntry> entries) {
    RunSummary summary = null;
    for (JournalEntry entry : entries) {
      summary =
          summary == null
              ? RunSummary.start(entry.runId(), entry.event())
              : summary.after(entry.seq(), entry.event());
    }
    return summary;
  }

  private RunStatus statusAfter(RunId run, RunEvent event) {
    appendAll(run, event);
    return store.find(run).orElseThrow().status();
  }

  private static String toJson(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private List<String> ids(RunQuery query) {
    return store.list(query).stream().map(run -> run.runId().value()).toList();
  }
}
