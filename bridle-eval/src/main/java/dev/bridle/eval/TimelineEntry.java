package dev.bridle.eval;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a case's run, summarised for a report.
 *
 * @param seq its number in the run's journal, from 1
 * @param event the event's kind ({@code ToolCallProposed})
 * @param summary what happened, in one line (long texts cut)
 */
public record TimelineEntry(long seq, Instant at, String event, String summary) {
  public TimelineEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(summary, "summary");
  }
}
