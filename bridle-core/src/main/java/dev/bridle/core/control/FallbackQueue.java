package dev.bridle.core.control;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The human fallback queue (DESIGN §5): the runs that were handed to a person instead of being
 * answered by the agent, newest first. A view of the journal, not a table of its own: a run is in
 * it when it ended with {@code RunFailed(ESCALATED)}, whether a guard escalated it or the {@link
 * QualityBreaker} diverted it at the start. Each item keeps the workflow, the requester and the
 * task, so the task can be run again later ({@link #find} gives the whole task).
 *
 * <pre>{@code
 * FallbackQueue queue = new FallbackQueue(store);
 * for (FallbackQueue.Item item : queue.list("refunds", 50)) { ... }
 * FallbackQueue.Item item = queue.find(runId).orElseThrow();
 * agent.run(RunId.random(), item.task(), item.user());   // run it again, once the breaker is closed
 * }</pre>
 *
 * <p>A listing reads the run index for failed runs (the newest {@value #MAX_SCAN} at most) and the
 * last {@value #TAIL} events of each, where the run's end is (events appended after the end, such
 * as {@code ChangeReverted}, come after it; a run with more of them is read whole), until it has
 * {@code limit} items.
 */
public final class FallbackQueue {

  /** The most failed runs one listing looks at. */
  public static final int MAX_SCAN = 10_000;

  /** The most items one listing returns. */
  public static final int MAX_LIMIT = 1_000;

  /** The events a listing reads from the end of each failed run's journal to find its end. */
  static final int TAIL = 8;

  /**
   * One task a person should take over.
   *
   * @param task the task as recorded: the first 200 characters in a listing, all of it from {@link
   *     #find}
   * @param guard the guard that escalated it; {@value QualityBreaker#GUARD_NAME} when the quality
   *     breaker diverted it
   * @param reason why, as the requester was told
   */
  public record Item(
      RunId runId,
      String workflow,
      String user,
      String task,
      String guard,
      String reason,
      Instant escalatedAt) {
    public Item {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(guard, "guard");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(escalatedAt, "escalatedAt");
    }

    /** Whether the quality breaker sent it here (rather than a guard on the agent's work). */
    public boolean byQualityBreaker() {
      return guard.equals(QualityBreaker.GUARD_NAME);
    }
  }

  private final RunStore store;

  public FallbackQueue(RunStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The newest items of every workflow.
   *
   * @param limit at most this many (1 to {@value #MAX_LIMIT})
   */
  public List<Item> list(int limit) {
    return list(RunQuery.ALL, limit);
  }

  /** The newest items of {@code workflow}. */
  public List<Item> list(String workflow, int limit) {
    return list(RunQuery.ALL.withWorkflow(Objects.requireNonNull(workflow, "workflow")), limit);
  }

  /** The item of run {@code runId}, with its whole task; empty when the run is not in the queue. */
  public Optional<Item> find(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    Optional<RunSummary> summary = store.find(runId);
    if (summary.isEmpty() || summary.get().status() != RunStatus.FAILED) {
      return Optional.empty();
    }
    List<JournalEntry> events = store.read(runId);
    Optional<Item> item = escalated(summary.get(), RunEnd.of(events));
    String task =
        events.stream()
            .map(JournalEntry::event)
            .filter(RunEvent.RunStarted.class::isInstance)
            .map(e -> ((RunEvent.RunStarted) e).task())
            .findFirst()
            .orElse(summary.get().task());
    return item.map(
        i ->
            new Item(
                i.runId(), i.workflow(), i.user(), task, i.guard(), i.reason(), i.escalatedAt()));
  }

  private List<Item> list(RunQuery query, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "fallback queue limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
    }
    List<Item> items = new ArrayList<>();
    for (RunSummary run : store.list(query.withStatus(RunStatus.FAILED).withLimit(MAX_SCAN))) {
      escalated(run, endOf(run)).ifPresent(items::add);
      if (items.size() == limit) {
        break;
      }
    }
    return items;
  }

  /** The run's end, from the tail of its journal; the whole journal when the tail lacks it. */
  private Optional<RunEvent> endOf(RunSummary run) {
    long from = Math.max(0, run.lastSeq() - TAIL);
    Optional<RunEvent> end = RunEnd.of(store.readAfter(run.runId(), from));
    if (end.isEmpty() && from > 0) {
      end = RunEnd.of(store.read(run.runId()));
    }
    return end;
  }

  private static Optional<Item> escalated(RunSummary run, Optional<RunEvent> end) {
    if (!(end.orElse(null) instanceof RunEvent.RunFailed failed)
        || failed.kind() != RunEvent.FailureKind.ESCALATED) {
      return Optional.empty();
    }
    // the loop journals a guard's escalation as "guard: reason"
    String journaled = failed.reason();
    int colon = journaled.indexOf(": ");
    String guard = colon < 0 ? "" : journaled.substring(0, colon);
    String reason = colon < 0 ? journaled : journaled.substring(colon + 2);
    return Optional.of(
        new Item(
            run.runId(),
            nonNull(run.workflow()),
            nonNull(run.user()),
            nonNull(run.task()),
            guard,
            reason,
            failed.at()));
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
