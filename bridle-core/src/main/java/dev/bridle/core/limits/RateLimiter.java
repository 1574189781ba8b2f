package dev.bridle.core.limits;

import java.time.Duration;

/**
 * Token buckets behind {@link RateLimit}s. {@link LocalRateLimiter} keeps them in this process; the
 * JDBC one in {@code bridle-store} shares them through the database, so that a limit holds across
 * every node (DESIGN §7).
 */
public interface RateLimiter {

  /**
   * Takes one token from the bucket {@code key} configured by {@code limit}.
   *
   * @return {@link Duration#ZERO} when a token was taken, else how long until one is available
   */
  Duration tryTake(String key, RateLimit limit);
}
