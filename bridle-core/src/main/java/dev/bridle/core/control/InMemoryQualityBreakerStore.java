package dev.bridle.core.control;

import dev.bridle.core.control.QualityBreaker.Action;
import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.State;
import dev.bridle.core.control.QualityBreaker.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Quality breakers in memory, for one process and for tests; the reference for the store contract.
 * Every method holds the store's lock, so each is atomic.
 */
public final class InMemoryQualityBreakerStore implements QualityBreakerStore {

  /** Newest first; ties by id, descending, as the JDBC store orders them. */
  static final Comparator<QualitySample> NEWEST_FIRST =
      Comparator.comparing(QualitySample::at).thenComparing(QualitySample::id).reversed();

  private final Clock clock;
  private final Map<String, Status> breakers = new TreeMap<>();
  private final Map<String, Map<String, QualitySample>> samples = new HashMap<>();
  private final List<LogEntry> log = new ArrayList<>();

  public InMemoryQualityBreakerStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public InMemoryQualityBreakerStore() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized Recorded record(
      String workflow, QualitySample sample, QualityBreakerSettings settings) {
    QualityBreakerStore.requireWorkflow(workflow);
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(settings, "settings");
    Instant now = clock.instant();
    Status before = breakers.getOrDefault(workflow, fresh(workflow, now));
    Map<String, QualitySample> kept = samples.computeIfAbsent(workflow, w -> new HashMap<>());
    boolean added = kept.putIfAbsent(sample.id(), sample) == null;

    Instant cutoff = settings.cutoff(now, before.windowStart());
    List<QualitySample> inWindow =
        kept.values().stream()
            .filter(s -> s.at().isAfter(cutoff))
            .sorted(NEWEST_FIRST)
            .limit(settings.windowSize())
            .toList();
    QualityWindow window =
        settings.window(inWindow.stream().map(QualitySample::signal).toList(), now);
    boolean tripped = !before.isOpen() && settings.trips(window);
    Status after =
        tripped
            ? new Status(
                workflow,
                State.OPEN,
                QualityBreaker.TRIPPED_BY,
                settings.tripReason(window),
                now,
                before.windowStart(),
                window,
                settings.describe())
            : new Status(
                workflow,
                before.state(),
                before.changedBy(),
                before.reason(),
                before.changedAt(),
                before.windowStart(),
                window,
                settings.describe());
    breakers.put(workflow, after);
    if (tripped) {
      log(Action.TRIP, workflow, QualityBreaker.TRIPPED_BY, after.reason(), now);
    }
    Instant oldestKept =
        inWindow.size() == settings.windowSize() ? inWindow.getLast().at() : Instant.MIN;
    kept.values().removeIf(s -> !s.at().isAfter(cutoff) || s.at().isBefore(oldestKept));
    return new Recorded(after, added, tripped);
  }

  @Override
  public synchronized Optional<Status> status(String workflow) {
    QualityBreakerStore.requireWorkflow(workflow);
    return Optional.ofNullable(breakers.get(workflow));
  }

  @Override
  public synchronized List<Status> statuses() {
    return List.copyOf(breakers.values());
  }

  @Override
  public synchronized boolean open(String workflow, String by, String reason) {
    QualityBreakerStore.requireWorkflow(workflow);
    Objects.requireNonNull(by, "by");
    String why = reason == null ? "" : reason;
    Instant now = clock.instant();
    Status before = breakers.getOrDefault(workflow, fresh(workflow, now));
    if (before.isOpen()) {
      return false;
    }
    breakers.put(
        workflow,
        new Status(
            workflow,
            State.OPEN,
            by,
            why,
            now,
            before.windowStart(),
            before.window(),
            before.rule()));
    log(Action.OPEN, workflow, by, why, now);
    return true;
  }

  @Override
  public synchronized boolean close(String workflow, String by, String reason) {
    QualityBreakerStore.requireWorkflow(workflow);
    Objects.requireNonNull(by, "by");
    String why = reason == null ? "" : reason;
    Instant now = clock.instant();
    Status before = breakers.get(workflow);
    if (before == null || !before.isOpen()) {
      return false;
    }
    breakers.put(
        workflow,
        new Status(
            workflow, State.CLOSED, by, why, now, now, QualityWindow.empty(now), before.rule()));
    Map<String, QualitySample> kept = samples.get(workflow);
    if (kept != null) {
      kept.values().removeIf(s -> !s.at().isAfter(now));
    }
    log(Action.CLOSE, workflow, by, why, now);
    return true;
  }

  @Override
  public synchronized List<LogEntry> history(int limit) {
    QualityBreakerStore.requireHistoryLimit(limit);
    return log.reversed().stream().limit(limit).toList();
  }

  @Override
  public synchronized List<LogEntry> history(String workflow, int limit) {
    QualityBreakerStore.requireWorkflow(workflow);
    QualityBreakerStore.requireHistoryLimit(limit);
    return log.reversed().stream().filter(e -> e.workflow().equals(workflow)).limit(limit).toList();
  }

  private void log(Action action, String workflow, String by, String reason, Instant at) {
    log.add(new LogEntry(log.size() + 1, action, workflow, by, reason, at));
  }

  private static Status fresh(String workflow, Instant now) {
    return new Status(
        workflow, State.CLOSED, "", "", now, Instant.EPOCH, QualityWindow.empty(now), "");
  }
}
