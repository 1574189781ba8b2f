package dev.bridle.store;

import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.limits.RateLimiter;
import java.time.Clock;

/** The reference: core's rate limiter in one process passes the same contract. */
class LocalRateLimiterContractTest extends RateLimiterContract {

  @Override
  protected RateLimiter open(Clock clock) {
    return new LocalRateLimiter(clock);
  }
}
