package dev.bridle.core.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Bucket4j token buckets in this process, on the given clock. */
public final class LocalRateLimiter implements RateLimiter {

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final TimeMeter time;

  public LocalRateLimiter(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    this.time = clockMeter(clock);
  }

  /** Bucket4j's time source from a {@link Clock}, so tests can move time. */
  public static TimeMeter clockMeter(Clock clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  @Override
  public Duration tryTake(String key, RateLimit limit) {
    Bucket bucket =
        buckets.computeIfAbsent(
            key,
            k ->
                Bucket.builder()
                    .addLimit(
                        l ->
                            l.capacity(limit.capacity())
                                .refillGreedy(limit.capacity(), limit.period()))
                    .withCustomTimePrecision(time)
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
  }
}
