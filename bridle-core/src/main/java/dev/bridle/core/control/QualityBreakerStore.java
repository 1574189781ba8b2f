package dev.bridle.core.control;

import dev.bridle.core.control.QualityBreaker.LogEntry;
import dev.bridle.core.control.QualityBreaker.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link QualityBreaker}s keep their state: per workflow, whether the breaker is open, the
 * samples of its rolling window, and the log of every trip, open and close with who, when and why.
 * Durable implementations keep it in the database, so that every node of a cluster sees a breaker
 * one node tripped, and an operator's close reaches all of them.
 *
 * <p>Each method is atomic: {@link #record} adds a sample, re-evaluates the window and trips the
 * breaker in one transaction, so that two nodes recording at once trip it once. Implementations:
 * {@link InMemoryQualityBreakerStore}, and JDBC (SQLite, PostgreSQL) in {@code bridle-store}; all
 * pass one contract test suite.
 */
public interface QualityBreakerStore {

  /** The most entries {@link #history} returns at once. */
  int MAX_HISTORY = 10_000;

  /** The longest workflow name a store keeps. */
  int MAX_WORKFLOW_LENGTH = 200;

  /**
   * What {@link #record} did.
   *
   * @param status the breaker after the sample
   * @param added false when a sample with the same id was recorded before (it counts once)
   * @param tripped whether this sample opened the breaker
   */
  record Recorded(Status status, boolean added, boolean tripped) {
    public Recorded {
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * Adds {@code sample} to {@code workflow}'s window (once per sample id), evaluates the window
   * under {@code settings} and, if the breaker is closed and the window trips it, opens it: state
   * {@link QualityBreaker.State#OPEN}, by {@link QualityBreaker#TRIPPED_BY}, logged as {@link
   * QualityBreaker.Action#TRIP}. Samples that can never be in the window again are dropped.
   *
   * @throws IllegalArgumentException if the workflow name is blank or longer than {@value
   *     #MAX_WORKFLOW_LENGTH} characters
   */
  Recorded record(String workflow, QualitySample sample, QualityBreakerSettings settings);

  /** The breaker of {@code workflow}; empty when nothing was ever recorded for it (closed). */
  Optional<Status> status(String workflow);

  /** Every breaker this store knows, by workflow name. */
  List<Status> statuses();

  /**
   * Opens the breaker by hand; logged as {@link QualityBreaker.Action#OPEN}.
   *
   * @param reason why; {@code ""} when null
   * @return false, changing nothing, when it was open already
   */
  boolean open(String workflow, String by, String reason);

  /**
   * Closes the breaker; logged as {@link QualityBreaker.Action#CLOSE}. The window starts afresh:
   * samples from before the close no longer count, so that the failures that opened it do not open
   * it again at the next sample.
   *
   * @param reason why; {@code ""} when null
   * @return false, changing nothing, when it was not open
   */
  boolean close(String workflow, String by, String reason);

  /**
   * The latest trips, opens and closes of every workflow, newest first.
   *
   * @param limit at most this many (1 to {@value #MAX_HISTORY})
   */
  List<LogEntry> history(int limit);

  /** As {@link #history(int)}, of one workflow. */
  List<LogEntry> history(String workflow, int limit);

  /**
   * Checks a workflow name for the methods above.
   *
   * @throws IllegalArgumentException if it is blank or longer than {@value #MAX_WORKFLOW_LENGTH}
   */
  static String requireWorkflow(String workflow) {
    Objects.requireNonNull(workflow, "workflow");
    if (workflow.isBlank() || workflow.length() > MAX_WORKFLOW_LENGTH) {
      throw new IllegalArgumentException(
          "a quality breaker's workflow name must have 1 to "
              + MAX_WORKFLOW_LENGTH
              + " characters and not be blank, but was '"
              + (workflow.length() > 40 ? workflow.substring(0, 40) + "…" : workflow)
              + "'");
    }
    return workflow;
  }

  /**
   * Checks a history limit.
   *
   * @throws IllegalArgumentException if it is not between 1 and {@value #MAX_HISTORY}
   */
  static int requireHistoryLimit(int limit) {
    if (limit < 1 || limit > MAX_HISTORY) {
      throw new IllegalArgumentException(
          "history limit must be between 1 and " + MAX_HISTORY + ", but was " + limit);
    }
    return limit;
  }
}
