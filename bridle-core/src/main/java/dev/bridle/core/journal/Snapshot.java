package dev.bridle.core.journal;

import java.util.Objects;

/**
 * A run's state as of event {@code seq}, as JSON ({@link dev.bridle.core.run.RunState#toJson()}),
 * so that resuming replays only the events after it.
 */
public record Snapshot(RunId runId, long seq, String stateJson) {
  public Snapshot {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stateJson, "stateJson");
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1, but was " + seq);
    }
  }
}
