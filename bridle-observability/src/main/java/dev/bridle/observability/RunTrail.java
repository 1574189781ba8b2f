package dev.bridle.observability;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What telemetry needs to know about one run, folded from its journal: who runs it, the open
 * segment, started calls, policy decisions and approvals. {@link #apply} turns each event into
 * {@link Observation}s. A trail rebuilt from the journal on another node (or after a restart) is
 * the same as the one that saw every event, which is what lets spans continue across nodes.
 *
 * <p>Not thread-safe; its owner serialises calls (one writer per run makes that cheap).
 */
final class RunTrail {

  private final RunId runId;
  private Observation.RunContext run;
  private Optional<String> task = Optional.empty();
  private Optional<String> instructions = Optional.empty();
  private Instant startedAt;
  private Segment open;
  private Instant lastAt;
  private long lastSeq;
  private final Map<String, RunEvent.ToolCallStarted> started = new HashMap<>();
  private final Map<String, RunEvent.PolicyDecided> policies = new HashMap<>();
  private final Map<String, Asked> asked = new HashMap<>();
  private final Map<String, RunEvent.ApprovalDecided> decided = new HashMap<>();

  /** A call that waits for a person, and the span it was asked in. */
  private record Asked(Instant at, String toolName, String kind, String parentSpanId) {}

  RunTrail(RunId runId) {
    this.runId = runId;
    this.run = new Observation.RunContext(runId, "unknown", "", "", "");
  }

  /** The sequence number of the last event folded in; 0 for none. */
  long lastSeq() {
    return lastSeq;
  }

  /** Whether no segment is open: the trail can be dropped and rebuilt when the run continues. */
  boolean idle() {
    return open == null;
  }

  /** Folds {@code entry} in and adds what it means to {@code out}. */
  void apply(JournalEntry entry, List<Observation> out) {
    RunEvent event = entry.event();
    switch (event) {
      case RunEvent.RunSubmitted e -> {
        run = new Observation.RunContext(runId, e.workflow(), "", "", "");
        out.add(new Observation.RunQueued(run));
      }
      case RunEvent.RunStarted e -> {
        interrupted(out);
        run =
            new Observation.RunContext(
                runId,
                orUnknown(e.workflow()),
                nullToEmpty(e.workflowVersion()),
                nullToEmpty(e.agent()),
                nullToEmpty(e.modelId()));
        task = Optional.of(e.task());
        instructions = Optional.ofNullable(e.instructions());
        startedAt = e.at();
        open = Segment.first(run, entry.seq(), e.at());
        out.add(new Observation.RunBegan(run, false));
      }
      case RunEvent.RunResumed e -> {
        interrupted(out);
        open = Segment.resumed(run, entry.seq(), e.at(), e.by());
        out.add(new Observation.RunBegan(run, true));
      }
      case RunEvent.ModelResponded e -> {
        if (open != null) {
          open.modelResponded(e);
        }
        out.add(new Observation.ModelCalled(run, parentSpanId(), e));
      }
      case RunEvent.PolicyDecided e -> {
        policies.put(e.callId(), e);
        mark(e);
        out.add(new Observation.PolicyChecked(run, e));
      }
      case RunEvent.ToolCallRejected e -> {
        mark(e);
        out.add(new Observation.ToolRejected(run, e));
      }
      case RunEvent.ToolCallShadowed e -> mark(e);
      case RunEvent.ApprovalRequested e -> {
        asked.put(e.callId(), new Asked(e.at(), e.toolName(), "approval", parentSpanId()));
        mark(e);
        out.add(new Observation.ApprovalAsked(run, e));
      }
      case RunEvent.ApprovalDecided e -> {
        decided.put(e.callId(), e);
        Asked request = asked.remove(e.callId());
        if (request != null) {
          out.add(
              new Observation.ApprovalAwaited(
                  run,
                  request.parentSpanId(),
                  request.at(),
                  request.toolName(),
                  request.kind(),
                  e));
        }
      }
      case RunEvent.ToolCallStarted e -> started.put(e.callId(), e);
      case RunEvent.ToolCallCompleted e ->
          out.add(
              new Observation.ToolExecuted(
                  run,
                  parentSpanId(),
                  Optional.ofNullable(started.remove(e.callId())),
                  Optional.of(e),
                  Optional.empty(),
                  Optional.ofNullable(policies.get(e.callId())),
                  Optional.ofNullable(decided.get(e.callId()))));
      case RunEvent.ToolCallInDoubt e -> {
        asked.put(e.callId(), new Asked(e.at(), e.toolName(), "in_doubt", parentSpanId()));
        out.add(
            new Observation.ToolExecuted(
                run,
                parentSpanId(),
                Optional.ofNullable(started.remove(e.callId())),
                Optional.empty(),
                Optional.of(e),
                Optional.ofNullable(policies.get(e.callId())),
                Optional.ofNullable(decided.get(e.callId()))));
      }
      case RunEvent.GuardTripped e -> {
        mark(e);
        out.add(new Observation.GuardTripped(run, e));
      }
      case RunEvent.BudgetThresholdCrossed e -> {
        mark(e);
        out.add(new Observation.BudgetCrossed(run, e));
      }
      case RunEvent.ChangeReverted e ->
          out.add(new Observation.ChangeReverted(run, parentSpanId(), e));
      case RunEvent.ToolCallProposed e -> {}
      case RunEvent.EvaluationScored e -> {}
      case RunEvent.RunSuspended e -> end(e, "suspended", "none", false, out);
      case RunEvent.RunKilled e -> end(e, "killed", "none", false, out);
      case RunEvent.RunCompleted e -> end(e, "completed", "none", true, out);
      case RunEvent.RunFailed e ->
          end(e, "failed", e.kind().name().toLowerCase(Locale.ROOT), true, out);
      case RunEvent.RunCancelled e -> end(e, "cancelled", "none", true, out);
    }
    lastAt = event.at();
    lastSeq = entry.seq();
  }

  private void end(
      RunEvent event, String outcome, String reason, boolean endsRun, List<Observation> out) {
    if (open != null) {
      out.add(
          new Observation.SegmentEnded(
              run,
              open,
              event.at(),
              Optional.of(event),
              open.root() ? task : Optional.empty(),
              open.root() ? instructions : Optional.empty()));
      open = null;
    }
    Optional<Duration> duration =
        endsRun && startedAt != null
            ? Optional.of(Duration.between(startedAt, event.at()))
            : Optional.empty();
    out.add(new Observation.RunOutcome(run, outcome, reason, duration));
  }

  /** A segment still open when the run starts again was cut short: a crash, a lost lease. */
  private void interrupted(List<Observation> out) {
    if (open != null) {
      out.add(
          new Observation.SegmentEnded(
              run,
              open,
              lastAt,
              Optional.empty(),
              open.root() ? task : Optional.empty(),
              open.root() ? instructions : Optional.empty()));
      open = null;
    }
  }

  private void mark(RunEvent event) {
    if (open != null) {
      open.mark(event);
    }
  }

  /** The span that events of the run hang under now: the open segment, else the root. */
  private String parentSpanId() {
    return open != null ? open.spanId() : TraceIds.rootSpanId(runId);
  }

  private static String orUnknown(String text) {
    return text == null || text.isBlank() ? "unknown" : text;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
