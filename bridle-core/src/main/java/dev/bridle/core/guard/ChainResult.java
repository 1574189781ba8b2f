package dev.bridle.core.guard;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link GuardChain} decided about one subject.
 *
 * @param stage the stage that was checked
 * @param text the text to use from here on: the input after every redaction that ran (when the
 *     chain stopped, the redactions before the stopping guard are applied)
 * @param outcome whether the run goes ahead, and if not, which guard stopped it and why
 * @param trips every guard that did not simply pass, in chain order; the run loop journals each as
 *     a {@code GuardTripped} event
 */
public record ChainResult(GuardStage stage, String text, Outcome outcome, List<GuardTrip> trips) {

  public ChainResult {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(outcome, "outcome");
    trips = List.copyOf(trips);
  }

  /** True when the run may go ahead with {@link #text()}. */
  public boolean proceeds() {
    return outcome instanceof Outcome.Proceed;
  }

  /** True when no guard tripped at all. */
  public boolean clean() {
    return trips.isEmpty();
  }

  /** How a chain ended. Switch over it exhaustively. */
  public sealed interface Outcome {

    /** Every guard passed, flagged or redacted: go ahead with the chain's text. */
    record Proceed() implements Outcome {}

    /**
     * A guard refused.
     *
     * @param guard its name
     * @param reason why
     */
    record Blocked(String guard, String reason) implements Outcome {}

    /**
     * A guard wants a human to decide.
     *
     * @param guard its name
     * @param reason why, shown to the human
     */
    record Escalated(String guard, String reason) implements Outcome {}

    /**
     * A guard wants the model to try again; the loop sends {@code feedback} and bounds the retries
     * with {@link GuardChain#maxReasks()}.
     *
     * @param guard its name
     * @param feedback what to tell the model
     */
    record Reasked(String guard, String feedback) implements Outcome {}
  }
}
