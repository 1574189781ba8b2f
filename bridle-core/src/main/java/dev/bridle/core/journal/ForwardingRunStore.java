package dev.bridle.core.journal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another one: extend it and override what a view changes (a
 * fenced journal checks each append; a test store stops at a chosen append). {@link #appendAll} is
 * deliberately not forwarded: its default goes through this class's {@link #append}, so a view that
 * overrides {@code append} sees every event; override {@code appendAll} too to keep the delegate's
 * single transaction.
 */
public abstract class ForwardingRunStore implements RunStore {

  private final RunStore delegate;

  protected ForwardingRunStore(RunStore delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  protected final RunStore delegate() {
    return delegate;
  }

  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    return delegate.append(runId, expectedLastSeq, event);
  }

  @Override
  public List<JournalEntry> readAfter(RunId runId, long afterSeq) {
    return delegate.readAfter(runId, afterSeq);
  }

  @Override
  public List<RunId> runIds() {
    return delegate.runIds();
  }

  @Override
  public Optional<RunSummary> find(RunId runId) {
    return delegate.find(runId);
  }

  @Override
  public List<RunSummary> list(RunQuery query) {
    return delegate.list(query);
  }

  @Override
  public void saveSnapshot(Snapshot snapshot) {
    delegate.saveSnapshot(snapshot);
  }

  @Override
  public Optional<Snapshot> latestSnapshot(RunId runId) {
    return delegate.latestSnapshot(runId);
  }

  @Override
  public int pruneEndedBefore(Instant endedBefore) {
    return delegate.pruneEndedBefore(endedBefore);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
