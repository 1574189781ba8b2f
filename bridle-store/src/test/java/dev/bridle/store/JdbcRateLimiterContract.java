package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.limits.RateLimiter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What the rate limiters in a database add to {@link RateLimiterContract}: buckets shared by every
 * node of one database, kept as rows written by compare-and-swap.
 */
abstract class JdbcRateLimiterContract extends RateLimiterContract {

  private final List<RunStore> stores = new ArrayList<>();
  private RunStore first;

  /** A run store over the test's database; the first of a test starts it empty. */
  protected abstract RunStore openRunStore() throws Exception;

  /** Another node: a run store of its own on the same database. */
  protected RunStore openAnotherNode() throws Exception {
    return track(openRunStore());
  }

  private RunStore track(RunStore store) {
    stores.add(store);
    return store;
  }

  @Override
  protected RateLimiter open(Clock clock) throws Exception {
    first = track(openRunStore());
    return RunStores.rateLimiter(first, clock);
  }

  @Override
  protected void closeAll() {
    stores.forEach(RunStore::close);
  }

  @Test
  void twoNodesOnOneDatabaseTakeFromTheSameBucket() throws Exception {
    RateLimiter other = RunStores.rateLimiter(openAnotherNode(), clock);

    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 6)).isEqualTo(6);
    assertThat(granted(other, UPDATE_LEAD, TEN_PER_MINUTE, 6)).isEqualTo(4);
    assertThat(limiter.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isEqualTo(Duration.ofSeconds(6));

    clock.advance(Duration.ofSeconds(6));
    assertThat(other.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isZero();
    assertThat(limiter.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isPositive();
  }

  @Test
  void concurrentTakesOnTwoNodesGrantExactlyTheCapacity() throws Exception {
    RateLimiter other = RunStores.rateLimiter(openAnotherNode(), clock);
    int threadsPerNode = 4;
    CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
    ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (RateLimiter node : List.of(limiter, other)) {
        for (int t = 0; t < threadsPerNode; t++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return granted(node, UPDATE_LEAD, TEN_PER_MINUTE, 4);
                  }));
        }
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
  void aBucketIsOneRowWhoseVersionCountsItsWrites() throws SQLException {
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 3)).isEqualTo(3);

    try (Connection c = RunStores.dataSource(first).orElseThrow().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT version, state FROM rate_buckets WHERE bucket_key = ?")) {
      s.setString(1, "tool:leads:crm:update_lead|10/60000ms|crm:*");
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("created, then two more takes").isEqualTo(3);
        assertThat(rs.getBytes(2)).isNotEmpty();
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void aLimiterFailsOnceItsRunStoreIsClosed() throws Exception {
    RunStore store = openAnotherNode();
    RateLimiter closing = RunStores.rateLimiter(store, clock);
    assertThat(closing.tryTake(UPDATE_LEAD, TEN_PER_MINUTE)).isZero();
    store.close();

    assertThatThrownBy(() -> closing.tryTake(UPDATE_LEAD, TEN_PER_MINUTE))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("rate limit bucket 'tool:leads:crm:update_lead|10/60000ms|crm:*'");
    assertThat(granted(limiter, UPDATE_LEAD, TEN_PER_MINUTE, 10)).isEqualTo(9);
  }

  @Test
  void onlyAStoreOpenedHereSharesRateLimits() {
    assertThatThrownBy(() -> RunStores.rateLimiter(new InMemoryRunStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryRunStore")
        .hasMessageContaining("LocalRateLimiter");
    assertThatThrownBy(() -> RunStores.rateLimiter(first, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("clock");
    assertThat(limiter.toString()).startsWith("RateLimiter[").doesNotContain("password");
  }
}
