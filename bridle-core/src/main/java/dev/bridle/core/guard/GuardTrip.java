package dev.bridle.core.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * One guard that did not simply pass: what the run loop journals as a {@code GuardTripped} event
 * and counts.
 *
 * @param guard the guard's name
 * @param stage the stage it looked at
 * @param toolName the tool, for tool stages
 * @param kind what the guard did
 * @param reason the guard's reason, redaction summary or feedback; never the sensitive values
 */
public record GuardTrip(
    String guard, GuardStage stage, Optional<String> toolName, Kind kind, String reason) {

  public GuardTrip {
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(toolName, "toolName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  /** What a tripped guard did. */
  public enum Kind {
    /** Let the text through and recorded a signal. */
    FLAG,
    /** Let a changed text through. */
    REDACT,
    /** Asked the model to try again. */
    REASK,
    /** Handed the decision to a human. */
    ESCALATE,
    /** Refused. */
    BLOCK
  }
}
