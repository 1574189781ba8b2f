package dev.bridle.core.limits;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * A rate limit on tool calls (DESIGN §5): at most {@code capacity} calls per {@code period}, as a
 * token bucket refilled evenly over the period, counted globally, per workflow, per user or per
 * tool. When the bucket is empty a call waits up to {@code maxWait} ({@link OnLimit#WAIT}) or is
 * refused at once with a retry hint ({@link OnLimit#REFUSE}); a refused call is an observation for
 * the model, not a failure of the run.
 *
 * @param tools a glob over tool names the limit counts (for {@link Scope#TOOL}: each matching tool
 *     has its own bucket; otherwise the calls of all matching tools share the scope's bucket)
 */
public record RateLimit(
    Scope scope, String tools, long capacity, Duration period, OnLimit onLimit, Duration maxWait) {

  /** What one bucket counts. */
  public enum Scope {
    /** All calls of all runs on every node. */
    GLOBAL,
    /** The calls of one workflow's runs. */
    WORKFLOW,
    /** The calls made for one user. */
    USER,
    /** The calls of one tool of one workflow. */
    TOOL
  }

  /** What a call over the limit does. */
  public enum OnLimit {
    WAIT,
    REFUSE
  }

  public RateLimit {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(onLimit, "onLimit");
    Objects.requireNonNull(maxWait, "maxWait");
    if (capacity < 1) {
      throw new ConfigurationException(
          "rate limit capacity must be at least 1, but was " + capacity);
    }
    if (period.isNegative() || period.isZero()) {
      throw new ConfigurationException("rate limit period must be positive, but was " + period);
    }
    if (maxWait.isNegative()) {
      throw new ConfigurationException("rate limit max-wait must not be negative");
    }
  }

  /**
   * {@code capacity} calls of {@code tools} per {@code period} in {@code scope}, refused beyond.
   */
  public static RateLimit of(Scope scope, String tools, long capacity, Duration period) {
    return new RateLimit(scope, tools, capacity, period, OnLimit.REFUSE, Duration.ZERO);
  }

  /** The same limit, waiting up to {@code maxWait} for a token before refusing. */
  public RateLimit waitingUpTo(Duration wait) {
    return new RateLimit(scope, tools, capacity, period, OnLimit.WAIT, wait);
  }

  /** The bucket key for a call, e.g. {@code tool:crm:update_lead}. */
  public String key(String workflow, String user, String toolName) {
    String base =
        switch (scope) {
          case GLOBAL -> "global";
          case WORKFLOW -> "workflow:" + workflow;
          case USER -> "user:" + user;
          case TOOL -> "tool:" + workflow + ":" + toolName;
        };
    return base + "|" + capacity + "/" + period.toMillis() + "ms|" + tools;
  }

  /** One line for observations and logs. */
  public String describe() {
    String where =
        switch (scope) {
          case GLOBAL -> "across all workflows";
          case WORKFLOW -> "for this workflow";
          case USER -> "for this user";
          case TOOL -> "for this tool";
        };
    return capacity + " calls of " + tools + " per " + period + " " + where;
  }
}
