package dev.bridle.eval;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a case's run, summarised for a report.
 *
 * @param seq its number in the run's journal, from 1; for an {@code EditRefused} line (an edit of
 *     the simulated human that Bridle refused, which is not journaled), the number of the event it
 *     followed
 * @param event the event's kind ({@code ToolCallProposed}), or {@code EditRefused}
 * @param summary what happened, in one line (long texts cut)
 */
public record TimelineEntry(long seq, Instant at, String event, String summary) {
  public TimelineEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(summary, "summary");
  }
}
