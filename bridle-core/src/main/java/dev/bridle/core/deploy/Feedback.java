package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * A person's rating of a run, 1 (bad) to 5 (good), with an optional comment: by the run's requester
 * or a reviewer. One per run and person; giving it again replaces it. Aggregated per workflow and
 * version ({@link FeedbackSummary}).
 *
 * <p>The comment is what a person wrote: it is at most {@value #MAX_COMMENT_CHARS} characters, and
 * {@link #toString()} leaves it out, so that logging a feedback never logs the comment.
 *
 * @param workflow the run's workflow, from its {@code RunStarted}
 * @param workflowVersion the run's workflow version
 * @param rating 1 to 5
 * @param comment what they said; {@code ""} when nothing
 * @param by who gave it
 * @param at when
 */
public record Feedback(
    RunId runId,
    String workflow,
    String workflowVersion,
    int rating,
    String comment,
    String by,
    Instant at) {

  /** The lowest rating. */
  public static final int MIN_RATING = 1;

  /** The highest rating. */
  public static final int MAX_RATING = 5;

  /** The longest comment. */
  public static final int MAX_COMMENT_CHARS = 2_000;

  public Feedback {
    Objects.requireNonNull(runId, "runId");
    Texts.workflow(workflow);
    Objects.requireNonNull(workflowVersion, "workflowVersion");
    requireRating(rating);
    comment = comment == null ? "" : comment;
    requireComment(comment);
    Texts.actor("by", by);
    Objects.requireNonNull(at, "at");
  }

  /** {@code rating} if it is 1 to 5, else an {@code INVALID} refusal that says so. */
  public static int requireRating(int rating) {
    if (rating < MIN_RATING || rating > MAX_RATING) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "rating must be between "
              + MIN_RATING
              + " and "
              + MAX_RATING
              + " (1 bad, 5 good), but was "
              + rating);
    }
    return rating;
  }

  /** {@code comment} if it is at most {@value #MAX_COMMENT_CHARS} characters. */
  public static String requireComment(String comment) {
    if (comment.length() > MAX_COMMENT_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "comment must be at most "
              + MAX_COMMENT_CHARS
              + " characters, but was "
              + comment.length());
    }
    return comment;
  }

  /** The feedback in one line, with the comment's length instead of its text. */
  @Override
  public String toString() {
    return "Feedback[run="
        + runId
        + ", workflow="
        + workflow
        + "@"
        + workflowVersion
        + ", rating="
        + rating
        + ", comment=("
        + comment.length()
        + " chars), by="
        + by
        + ", at="
        + at
        + "]";
  }
}
