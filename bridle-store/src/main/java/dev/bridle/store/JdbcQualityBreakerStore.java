package dev.bridle.store;

import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreaker.Action;
import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.State;
import dev.bridle.core.control.QualityBreaker.Status;
import dev.bridle.core.control.QualityBreakerSettings;
import dev.bridle.core.control.QualityBreakerStore;
import dev.bridle.core.control.QualitySample;
import dev.bridle.core.control.QualityWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link QualityBreakerStore} over a {@link JdbcRunStore}'s connections: each write one
 * transaction through the store's writer (on SQLite its single writer connection), reads from its
 * read pool. The tables are those of {@code V6__quality_breakers.sql}.
 *
 * <p>Every write locks the workflow's breaker row first, and the log table last, only when it logs:
 * two nodes recording samples of one workflow take turns (so a window trips once), writers of
 * different workflows only meet at the log.
 */
final class JdbcQualityBreakerStore implements QualityBreakerStore {

  private final JdbcRunStore store;
  private final QualityBreakerRows rows;
  private final Clock clock;

  JdbcQualityBreakerStore(JdbcRunStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.rows = new QualityBreakerRows(store.dialect());
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Recorded record(String workflow, QualitySample sample, QualityBreakerSettings settings) {
    String name = stored(workflow);
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(settings, "settings");
    Instant now = clock.instant();
    return store.write(
        "recording quality sample " + sample.id() + " of workflow " + name,
        c -> {
          Status before = rows.lockBreaker(c, name, now);
          boolean added = rows.addSample(c, name, sample);
          Instant cutoff = settings.cutoff(now, before.windowStart());
          List<QualityBreakerRows.Sampled> inWindow =
              rows.window(c, name, cutoff, settings.windowSize());
          QualityWindow window =
              settings.window(
                  inWindow.stream().map(QualityBreakerRows.Sampled::signal).toList(), now);
          boolean tripped = before.state() == State.CLOSED && settings.trips(window);
          Status after =
              tripped
                  ? new Status(
                      name,
                      State.OPEN,
                      QualityBreaker.TRIPPED_BY,
                      settings.tripReason(window),
                      now,
                      before.windowStart(),
                      window,
                      settings.describe())
                  : new Status(
                      name,
                      before.state(),
                      before.changedBy(),
                      before.reason(),
                      before.changedAt(),
                      before.windowStart(),
                      window,
                      settings.describe());
          rows.update(c, after);
          Instant oldestKept =
              inWindow.size() == settings.windowSize() ? inWindow.getLast().at() : Instant.MIN;
          rows.dropSamples(c, name, cutoff, oldestKept);
          if (tripped) {
            rows.log(c, Action.TRIP, name, QualityBreaker.TRIPPED_BY, after.reason(), now);
          }
          return new Recorded(after, added, tripped);
        });
  }

  @Override
  public Optional<Status> status(String workflow) {
    String name = stored(workflow);
    return store.read("reading the quality breaker of workflow " + name, c -> rows.find(c, name));
  }

  @Override
  public List<Status> statuses() {
    return store.read("reading the quality breakers", rows::all);
  }

  @Override
  public boolean open(String workflow, String by, String reason) {
    String name = stored(workflow);
    Objects.requireNonNull(by, "by");
    String why = reason == null ? "" : reason;
    Instant now = clock.instant();
    return store.write(
        "opening the quality breaker of workflow " + name + " for " + by,
        c -> {
          Status before = rows.lockBreaker(c, name, now);
          if (before.state() == State.OPEN) {
            return false;
          }
          rows.update(
              c,
              new Status(
                  name,
                  State.OPEN,
                  by,
                  why,
                  now,
                  before.windowStart(),
                  before.window(),
                  before.rule()));
          rows.log(c, Action.OPEN, name, by, why, now);
          return true;
        });
  }

  @Override
  public boolean close(String workflow, String by, String reason) {
    String name = stored(workflow);
    Objects.requireNonNull(by, "by");
    String why = reason == null ? "" : reason;
    Instant now = clock.instant();
    return store.write(
        "closing the quality breaker of workflow " + name + " for " + by,
        c -> {
          // no row: nothing is open, and none is created
          if (rows.find(c, name).isEmpty()) {
            return false;
          }
          Status before = rows.lockBreaker(c, name, now);
          if (before.state() != State.OPEN) {
            return false;
          }
          rows.update(
              c,
              new Status(
                  name, State.CLOSED, by, why, now, now, QualityWindow.empty(now), before.rule()));
          rows.dropSamples(c, name, now, Instant.MIN);
          rows.log(c, Action.CLOSE, name, by, why, now);
          return true;
        });
  }

  @Override
  public List<LogEntry> history(int limit) {
    QualityBreakerStore.requireHistoryLimit(limit);
    return store.read("reading the quality breaker log", c -> rows.history(c, null, limit));
  }

  @Override
  public List<LogEntry> history(String workflow, int limit) {
    String name = stored(workflow);
    QualityBreakerStore.requireHistoryLimit(limit);
    return store.read(
        "reading the quality breaker log of workflow " + name, c -> rows.history(c, name, limit));
  }

  @Override
  public String toString() {
    return "QualityBreakerStore[" + store.location() + "]";
  }

  /** The workflow name as the tables hold it (checked; no lone surrogate or NUL). */
  private static String stored(String workflow) {
    return StoredText.indexed(QualityBreakerStore.requireWorkflow(workflow));
  }
}
