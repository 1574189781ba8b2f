package dev.bridle.observability;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One stretch of a run on one node, from {@code RunStarted} or {@code RunResumed} to the next
 * suspension, kill or end: one {@code invoke_agent} span. Filled by {@link RunTrail} under its
 * lock, read by the span writer once it has ended.
 */
final class Segment {

  /** Span events kept per segment, as the OpenTelemetry SDK's default limit. */
  static final int MAX_MARKS = 128;

  private final long startSeq;
  private final Instant start;
  private final boolean root;
  private final String spanId;
  private final Optional<String> resumedBy;
  private final List<RunEvent> marks = new ArrayList<>();
  private Usage usage = Usage.ZERO;
  private BigDecimal costUsd;
  private int modelCalls;
  private int lastStep;
  private int droppedMarks;

  private Segment(
      long startSeq, Instant start, boolean root, String spanId, Optional<String> resumedBy) {
    this.startSeq = startSeq;
    this.start = start;
    this.root = root;
    this.spanId = spanId;
    this.resumedBy = resumedBy;
  }

  /** The first segment, which {@code RunStarted} opens: the root of the run's trace. */
  static Segment first(Observation.RunContext run, long seq, Instant at) {
    return new Segment(seq, at, true, TraceIds.rootSpanId(run.runId()), Optional.empty());
  }

  /** A later segment, which {@code RunResumed} opens, as a child of the root. */
  static Segment resumed(Observation.RunContext run, long seq, Instant at, String by) {
    return new Segment(
        seq, at, false, TraceIds.segmentSpanId(run.runId(), seq), Optional.ofNullable(by));
  }

  void modelResponded(RunEvent.ModelResponded event) {
    modelCalls++;
    lastStep = Math.max(lastStep, event.step());
    if (event.usage() != null) {
      usage = usage.plus(event.usage());
    }
    if (event.costUsd() != null) {
      costUsd = costUsd == null ? event.costUsd() : costUsd.add(event.costUsd());
    }
  }

  /** Keeps {@code event} to show as a span event: a decision, a guard trip, an approval asked. */
  void mark(RunEvent event) {
    if (marks.size() < MAX_MARKS) {
      marks.add(event);
    } else {
      droppedMarks++;
    }
  }

  long startSeq() {
    return startSeq;
  }

  Instant start() {
    return start;
  }

  boolean root() {
    return root;
  }

  String spanId() {
    return spanId;
  }

  Optional<String> resumedBy() {
    return resumedBy;
  }

  List<RunEvent> marks() {
    return List.copyOf(marks);
  }

  int droppedMarks() {
    return droppedMarks;
  }

  Usage usage() {
    return usage;
  }

  Optional<BigDecimal> costUsd() {
    return Optional.ofNullable(costUsd);
  }

  int modelCalls() {
    return modelCalls;
  }

  int lastStep() {
    return lastStep;
  }
}
