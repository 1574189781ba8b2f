package dev.bridle.observability;

import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run store whose appends are also projected into spans and metrics (DESIGN §1: traces and
 * metrics are projections of the journal). Each append goes to the wrapped store first; only what
 * was appended is observed, after it was, and a failure to observe never fails the append.
 *
 * <pre>{@code
 * Observability observability = Observability.builder().build();
 * Agent agent = Agent.builder()
 *     .journal(new ObservedRunStore(store, observability))
 *     ...
 * }</pre>
 */
public final class ObservedRunStore extends ForwardingRunStore {

  private final RunObserver observer;

  public ObservedRunStore(RunStore delegate, Observability observability) {
    super(delegate);
    this.observer = Objects.requireNonNull(observability, "observability").observer();
  }

  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    long seq = delegate().append(runId, expectedLastSeq, event);
    observer.observe(
        delegate(), runId, expectedLastSeq, List.of(new JournalEntry(runId, seq, event)));
    return seq;
  }

  /** Appends through the wrapped store's {@code appendAll}, keeping its single transaction. */
  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    long last = delegate().appendAll(runId, expectedLastSeq, events);
    if (events.isEmpty()) {
      return last;
    }
    List<JournalEntry> appended = new ArrayList<>(events.size());
    long seq = last - events.size();
    for (RunEvent event : events) {
      appended.add(new JournalEntry(runId, ++seq, event));
    }
    observer.observe(delegate(), runId, expectedLastSeq, appended);
    return last;
  }
}
