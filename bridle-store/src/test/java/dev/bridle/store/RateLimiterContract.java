package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimit.Scope;
import dev.bridle.core.limits.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} must do: a bucket of a limit's capacity, refilled evenly over its
 * period, one per key, with a correct hint of when the next token comes; time from the given clock.
 * Core's {@link dev.bridle.core.limits.LocalRateLimiter} is the reference; the shared ones add
 * buckets shared by nodes in {@link JdbcRateLimiterContract}.
 */
abstract class RateLimiterContract {

  static final RateLimit TEN_PER_MINUTE =
      RateLimit.of(Scope.TOOL, "crm:*", 10, Duration.ofMinutes(1));

  static final String UPDATE_LEAD = TEN_PER_MINUTE.key("leads", "dana", "crm:update_lead");

  protected final ManualClock clock = new ManualClock(Events.at(0));
  protected RateLimiter limiter;

  /** A new limiter over no buckets, timed by {@code clock}. */
  protected abstract RateLimiter open(Clock clock) throws Exception;

  /** Releases what the {@link #open}s took. */
  protected void closeAll() {}

  @BeforeEach
  void openTheLimiter() throws Exception {
    limiter = open(clock);
  }

  @AfterEach
  void closeTheLimiter() {
    closeAll();
  }

  /** How many of {@code attempts} takes got a token. */
  static int granted(RateLimiter limiter, String key, RateLimit limit, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryTake(key, limit).isZero()) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void aNewBucketIsFullAndGrantsExactlyItsCapacity() {
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 15)).isEqualTo(10);
    assertThat(limiter.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isPositive();
  }

  @Test
  void theRetryHintIsWhenTheNextTokenIsRefilled() {
    RateLimit twoPerMinute = RateLimit.of(Scope.GLOBAL, "*", 2, Duration.ofMinutes(1));
    String key = twoPerMinute.key("leads", "dana", "web:search");
    assertThat(limiter.tryTake(key, twoPerMinute)).isZero();
    assertThat(limiter.tryTake(key, twoPerMinute)).isZero();

    assertThat(limiter.tryTake(key, twoPerMinute)).isEqualTo(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryTake(key, twoPerMinute)).isEqualTo(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(19));
    assertThat(limiter.tryTake(key, twoPerMinute)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryTake(key, twoPerMinute)).isZero();
    assertThat(limiter.tryTake(key, twoPerMinute)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void tokensComeBackEvenlyOverThePeriodAndNeverBeyondTheCapacity() {
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 10)).isEqualTo(10);

    clock.advance(Duration.ofSeconds(6)); // a tenth of the period: one token
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 3)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(30)); // half the period: five tokens
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 8)).isEqualTo(5);

    clock.advance(Duration.ofHours(5)); // long idle: full, not fuller
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 20)).isEqualTo(10);
  }

  @Test
  void eachKeyHasABucketOfItsOwn() {
    String otherTool = TEN_PER_MINUTE.key("leads", "dana", "crm:delete_lead");
    String otherWorkflow = TEN_PER_MINUTE.key("refunds", "dana", "crm:update_lead");
    RateLimit threePerMinute = RateLimit.of(Scope.TOOL, "crm:*", 3, Duration.ofMinutes(1));
    String sameToolOtherShape = threePerMinute.key("leads", "dana", "crm:update_lead");

    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 12)).isEqualTo(10);

    assertThat(granted(limiter, otherTool, TEN_PER_MINUTE, 12)).isEqualTo(10);
    assertThat(granted(limiter, otherWorkflow, TEN_PER_MINUTE, 12)).isEqualTo(10);
    assertThat(granted(limiter, sameToolOtherShape, threePerMinute, 5)).isEqualTo(3);
    assertThat(limiter.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isPositive();
  }

  @Test
  void concurrentTakesFromEightThreadsGrantExactlyTheCapacity() throws Exception {
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 4);
                }));
      }
      int granted = 0;
      for (Future<Integer> result : results) {
        granted += result.get();
      }
      assertThat(granted).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nullsAreRefused() {
    assertThatThrownBy(() -> limiter.tryTake(null, TEN_PER_MINUTE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> limiter.tryTake(UPDATE_LEAD, null))
        .isInstanceOf(NullPointerException.class);
  }
}
