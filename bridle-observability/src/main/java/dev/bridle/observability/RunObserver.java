package dev.bridle.observability;

import dev.bridle.core.guard.Redactor;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns appended journal entries into spans and metrics. Keeps a {@link RunTrail} for each run with
 * an open segment and rebuilds it from the journal when it has none, or when its trail is behind
 * (another node appended in between). Telemetry never fails a run: a failure here is logged and
 * counted, and the append it observes stands.
 */
final class RunObserver {

  private static final Logger LOG = LoggerFactory.getLogger(RunObserver.class);

  /** Trails kept at most; beyond this the oldest are dropped and rebuilt when needed. */
  static final int MAX_TRAILS = 10_000;

  private static final int LOCK_STRIPES = 64;

  private final ConcurrentMap<RunId, RunTrail> trails = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final SpanWriter spans;
  private final RunMeters meters;
  private final Counter failures;

  RunObserver(SpanWriter spans, RunMeters meters, MeterRegistry registry) {
    this.spans = spans;
    this.meters = meters;
    this.failures =
        Counter.builder("bridle.observability.failures")
            .description("Journal appends whose spans or metrics could not be written")
            .register(registry);
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Observes {@code appended}, the entries just appended to {@code runId} after {@code
   * expectedLastSeq}; {@code journal} is read when the run's trail must be rebuilt.
   */
  void observe(RunJournal journal, RunId runId, long expectedLastSeq, List<JournalEntry> appended) {
    try {
      List<Observation> observations = new ArrayList<>();
      synchronized (locks[Math.floorMod(runId.hashCode(), LOCK_STRIPES)]) {
        RunTrail trail = trails.get(runId);
        if (trail == null || trail.lastSeq() != expectedLastSeq) {
          trail = rebuild(journal, runId, expectedLastSeq);
        }
        for (JournalEntry entry : appended) {
          trail.apply(entry, observations);
        }
        if (trail.idle()) {
          trails.remove(runId);
        } else {
          keep(runId, trail);
        }
      }
      for (Observation observation : observations) {
        spans.write(observation);
        meters.record(observation);
        log(observation);
      }
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn(
          "could not write the spans and metrics of run {}: {}",
          runId,
          Redactor.redact(String.valueOf(e.getMessage()), 500));
    }
  }

  /** Runs whose segment is open here; for tests and diagnostics. */
  int openRuns() {
    return trails.size();
  }

  private static RunTrail rebuild(RunJournal journal, RunId runId, long upToSeq) {
    RunTrail trail = new RunTrail(runId);
    if (upToSeq == 0) {
      return trail;
    }
    List<Observation> discarded = new ArrayList<>();
    for (JournalEntry entry : journal.readAfter(runId, 0)) {
      if (entry.seq() > upToSeq) {
        break;
      }
      trail.apply(entry, discarded);
      discarded.clear();
    }
    return trail;
  }

  private void keep(RunId runId, RunTrail trail) {
    trails.put(runId, trail);
    if (trails.size() > MAX_TRAILS) {
      Iterator<RunId> oldest = trails.keySet().iterator();
      if (oldest.hasNext()) {
        RunId evicted = oldest.next();
        if (!evicted.equals(runId)) {
          trails.remove(evicted);
        }
      }
    }
  }

  /** One log line per run outcome, with the run id and trace id in the MDC. */
  private static void log(Observation observation) {
    if (!(observation instanceof Observation.RunOutcome outcome) || !LOG.isInfoEnabled()) {
      return;
    }
    Observation.RunContext run = outcome.run();
    String callersRunId = MDC.get("bridle.run.id");
    String callersTraceId = MDC.get("trace_id");
    MDC.put("bridle.run.id", run.runId().value());
    MDC.put("trace_id", run.traceId());
    try {
      if (outcome.reason().equals("none")) {
        LOG.info("run {} of workflow {} {}", run.runId(), run.workflow(), outcome.outcome());
      } else {
        LOG.info(
            "run {} of workflow {} {} ({})",
            run.runId(),
            run.workflow(),
            outcome.outcome(),
            outcome.reason());
      }
    } finally {
      restore("bridle.run.id", callersRunId);
      restore("trace_id", callersTraceId);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
