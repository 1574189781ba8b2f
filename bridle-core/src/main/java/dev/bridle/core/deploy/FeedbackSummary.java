package dev.bridle.core.deploy;

import java.util.Collection;
import java.util.OptionalDouble;

/**
 * Feedback aggregated: how many ratings and their mean.
 *
 * @param count how many ratings
 * @param mean their arithmetic mean (1 to 5); empty when there are none
 */
public record FeedbackSummary(int count, OptionalDouble mean) {

  public static final FeedbackSummary NONE = new FeedbackSummary(0, OptionalDouble.empty());

  /** The summary of {@code feedback}. */
  public static FeedbackSummary of(Collection<Feedback> feedback) {
    if (feedback.isEmpty()) {
      return NONE;
    }
    return new FeedbackSummary(
        feedback.size(), feedback.stream().mapToInt(Feedback::rating).average());
  }
}
