package dev.bridle.core.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thread-safe store in memory: for tests and for runs that need no durability. Passes the same
 * contract tests as the SQLite and PostgreSQL stores.
 */
public final class InMemoryRunStore implements RunStore {

  private final Map<RunId, List<JournalEntry>> runs = new LinkedHashMap<>();
  private final Map<RunId, RunSummary> index = new LinkedHashMap<>();
  private final Map<RunId, Snapshot> snapshots = new LinkedHashMap<>();

  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    return appendAll(runId, expectedLastSeq, List.of(event));
  }

  /**
   * All or none: the index is folded over every event before anything is stored, so an event the
   * index cannot take fails the call with nothing stored.
   */
  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    synchronized (runs) {
      List<JournalEntry> entries = runs.get(runId);
      long lastSeq = entries == null ? 0 : entries.size();
      if (lastSeq != expectedLastSeq) {
        throw new JournalConflictException(runId, expectedLastSeq, lastSeq);
      }
      RunSummary summary = index.get(runId);
      List<JournalEntry> added = new ArrayList<>(events.size());
      long seq = lastSeq;
      for (RunEvent event : events) {
        seq++;
        summary = summary == null ? RunSummary.start(runId, event) : summary.after(seq, event);
        added.add(new JournalEntry(runId, seq, event));
      }
      if (added.isEmpty()) {
        return lastSeq;
      }
      runs.computeIfAbsent(runId, id -> new ArrayList<>()).addAll(added);
      index.put(runId, summary);
      return seq;
    }
  }

  @Override
  public List<JournalEntry> readAfter(RunId runId, long afterSeq) {
    synchronized (runs) {
      List<JournalEntry> entries = runs.getOrDefault(runId, List.of());
      int from = (int) Math.min(Math.max(afterSeq, 0), entries.size());
      return List.copyOf(entries.subList(from, entries.size()));
    }
  }

  @Override
  public List<RunId> runIds() {
    synchronized (runs) {
      return List.copyOf(runs.keySet());
    }
  }

  @Override
  public Optional<RunSummary> find(RunId runId) {
    synchronized (runs) {
      return Optional.ofNullable(index.get(runId));
    }
  }

  @Override
  public List<RunSummary> list(RunQuery query) {
    synchronized (runs) {
      return index.values().stream()
          .filter(query::matches)
          .sorted(
              Comparator.comparing(RunSummary::createdAt)
                  .thenComparing(s -> s.runId().value())
                  .reversed())
          .limit(query.limit())
          .toList();
    }
  }

  @Override
  public void saveSnapshot(Snapshot snapshot) {
    synchronized (runs) {
      if (!runs.containsKey(snapshot.runId())) {
        throw new IllegalArgumentException("no run " + snapshot.runId() + " to snapshot");
      }
      Snapshot previous = snapshots.get(snapshot.runId());
      if (previous == null || previous.seq() < snapshot.seq()) {
        snapshots.put(snapshot.runId(), snapshot);
      }
    }
  }

  @Override
  public Optional<Snapshot> latestSnapshot(RunId runId) {
    synchronized (runs) {
      return Optional.ofNullable(snapshots.get(runId));
    }
  }

  @Override
  public int pruneEndedBefore(Instant endedBefore) {
    synchronized (runs) {
      List<RunId> ended =
          index.values().stream()
              .filter(s -> s.status().isTerminal() && s.updatedAt().isBefore(endedBefore))
              .map(RunSummary::runId)
              .toList();
      for (RunId runId : ended) {
        runs.remove(runId);
        index.remove(runId);
        snapshots.remove(runId);
      }
      return ended.size();
    }
  }
}
