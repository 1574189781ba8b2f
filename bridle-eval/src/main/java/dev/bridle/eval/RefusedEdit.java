package dev.bridle.eval;

import java.time.Instant;
import java.util.Objects;

/**
 * An edit of the simulated human that Bridle refused ({@code Approvals.decide} threw): the edited
 * arguments do not validate, or policy denies them. Bridle journals nothing for it and the approval
 * stays pending, as it does for a person, so the harness keeps it here for the scorers and the
 * timeline.
 *
 * @param callId the call whose approval it was
 * @param tool the call's tool
 * @param arguments the edited arguments that were refused (the proposal with the edit applied)
 * @param reason why Bridle refused them
 * @param afterSeq the number of the last journal event when it was refused
 * @param at when, by the evaluation's clock
 */
record RefusedEdit(
    String callId, String tool, String arguments, String reason, long afterSeq, Instant at) {
  RefusedEdit {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** The event name the timeline gives it; no journal event has it. */
  static final String EVENT = "EditRefused";
}
