package dev.bridle.core.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A thread-safe journal in memory: for tests and for runs that need no durability. */
public final class InMemoryRunJournal implements RunJournal {

  private final Map<RunId, List<JournalEntry>> runs = new LinkedHashMap<>();

  @Override
  public long append(RunId runId, long expectedLastSeq, RunEvent event) {
    synchronized (runs) {
      List<JournalEntry> entries = runs.computeIfAbsent(runId, id -> new ArrayList<>());
      long lastSeq = entries.size();
      if (lastSeq != expectedLastSeq) {
        if (entries.isEmpty()) {
          runs.remove(runId);
        }
        throw new JournalConflictException(runId, expectedLastSeq, lastSeq);
      }
      entries.add(new JournalEntry(runId, lastSeq + 1, event));
      return lastSeq + 1;
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
}
