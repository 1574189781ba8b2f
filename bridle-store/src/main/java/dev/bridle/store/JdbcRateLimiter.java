package dev.bridle.store;

import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link RateLimiter} whose buckets are rows of {@code rate_buckets} in the database of a {@link
 * JdbcRunStore}, so that a limit holds across every process and node on it (DESIGN §7). Each bucket
 * is configured like {@link LocalRateLimiter}'s: {@code capacity} tokens, refilled greedily
 * (evenly) over the limit's period; it is created full on its first use. Taking a token is a read
 * and a compare-and-swap write ({@link JdbcBucketProxies}), retried when another taker won.
 *
 * <p>Time comes from the given clock on each node, as Bucket4j's client-side clock; the nodes'
 * clocks should agree (NTP) to well within a refill interval.
 */
final class JdbcRateLimiter implements RateLimiter {

  private final JdbcBucketProxies buckets;
  private final String location;

  JdbcRateLimiter(JdbcRunStore store, Clock clock) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    this.buckets = new JdbcBucketProxies(store, LocalRateLimiter.clockMeter(clock));
    this.location = store.location();
  }

  @Override
  public Duration tryTake(String key, RateLimit limit) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(limit, "limit");
    BucketConfiguration configuration =
        BucketConfiguration.builder()
            .addLimit(
                bandwidth ->
                    bandwidth
                        .capacity(limit.capacity())
                        .refillGreedy(limit.capacity(), limit.period()))
            .build();
    ConsumptionProbe probe =
        buckets.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
  }

  @Override
  public String toString() {
    return "RateLimiter[" + location + "]";
  }
}
