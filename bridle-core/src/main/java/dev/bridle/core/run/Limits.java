package dev.bridle.core.run;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;

/**
 * The bounds of one run.
 *
 * @param maxSteps the most model calls a run may make (1 to 1000; default 20)
 * @param deadline wall-clock time a run may take from its start (default 5 minutes)
 * @param loopThreshold how many times the same call with the same arguments may be proposed before
 *     the run stops as a loop: the call that reaches this count is not executed (2 to 100; default
 *     3)
 */
public record Limits(int maxSteps, Duration deadline, int loopThreshold) {

  public static final Limits DEFAULT = new Limits(20, Duration.ofMinutes(5), 3);

  public Limits {
    if (maxSteps < 1 || maxSteps > 1000) {
      throw new ConfigurationException("max-steps must be between 1 and 1000, but was " + maxSteps);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new ConfigurationException("deadline must be positive, but was " + deadline);
    }
    if (loopThreshold < 2 || loopThreshold > 100) {
      throw new ConfigurationException(
          "loop-threshold must be between 2 and 100, but was " + loopThreshold);
    }
  }

  public Limits withMaxSteps(int value) {
    return new Limits(value, deadline, loopThreshold);
  }

  public Limits withDeadline(Duration value) {
    return new Limits(maxSteps, value, loopThreshold);
  }

  public Limits withLoopThreshold(int value) {
    return new Limits(maxSteps, deadline, value);
  }
}
