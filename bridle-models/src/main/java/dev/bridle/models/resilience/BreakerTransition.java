package dev.bridle.models.resilience;

import java.time.Instant;
import java.util.Objects;

/** A provider's circuit breaker changed state. */
public record BreakerTransition(String provider, State from, State to, Instant at) {

  /** The states of a provider's breaker. */
  public enum State {
    /** Calls go through and are counted. */
    CLOSED,
    /** Calls fail at once with a {@link CircuitOpenException}. */
    OPEN,
    /** A few trial calls go through to decide between closing and opening again. */
    HALF_OPEN
  }

  public BreakerTransition {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
  }
}
