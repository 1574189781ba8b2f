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
    synchronized (runs) {
      List<JournalEntry> entries = runs.get(runId);
      long lastSeq = entries == null ? 0 : entries.size();
      if (lastSeq != expectedLastSeq) {
        throw new JournalConflictException(runId, expectedLastSeq, lastSeq);
      }
      if (entries == null) {
        entries = new ArrayList<>();
        runs.put(runId, entries);
      }
      long seq = lastSeq + 1;
      entries.add(new JournalEntry(runId, seq, event));
      RunSummary summary = index.get(runId);
      index.put(
          runId, summary == null ? RunSummary.start(runId, event) : summary.after(seq, event));
      return seq;
    }
  }

  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    synchronized (runs) {
      List<JournalEntry> entries = runs.get(runId);
      long lastSeq = entries == null ? 0 : entries.size();
      if (lastSeq != expectedLastSeq) {
        throw new JournalConflictException(runId, expectedLastSeq, lastSeq);
      }
      // All or none: fold the index over every event first, so that one the index cannot take
      // fails the call before anything is stored.
      RunSummary summary = index.get(runId);
      long seq = lastSeq;
      for (RunEvent event : events) {
        seq++;
        summary = summary == null ? RunSummary.start(runId, event) : summary.after(seq, event);
      }
      long appended = expectedLastSeq;
      for (RunEvent event : events) {
        appended = append(runId, appended, event);
      }
      return appended;
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
