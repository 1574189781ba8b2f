package dev.bridle.store;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Bucket4j's distributed buckets over {@code rate_buckets}, by compare-and-swap: Bucket4j reads a
 * bucket's state, applies the request to it (taking a token, say) on this node, and writes the new
 * state only if the row is still at the version it read; if another node or thread wrote in
 * between, Bucket4j reads again and retries. A read goes to the store's read pool, a write is a
 * short transaction of its own through the store's writer, so that on SQLite it takes its turn with
 * the journal's writes. Time is read from {@code time} (the node's clock), not from the database.
 *
 * <p>Synchronous only: {@link #isAsyncModeSupported()} is false.
 */
final class JdbcBucketProxies extends AbstractCompareAndSwapBasedProxyManager<String> {

  private final JdbcRunStore store;
  private final RateBucketRows rows = new RateBucketRows();

  JdbcBucketProxies(JdbcRunStore store, TimeMeter time) {
    super(ClientSideConfig.getDefault().withClientClock(time));
    this.store = store;
  }

  @Override
  protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
    return new CompareAndSwapOperation() {
      /** The version of the last state read: what a swap expects to find. */
      private long readVersion;

      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        Optional<RateBucketRows.Stored> stored =
            store.read("reading rate limit bucket '" + key + "'", c -> rows.find(c, key));
        stored.ifPresent(s -> readVersion = s.version());
        return stored.map(RateBucketRows.Stored::state);
      }

      @Override
      public boolean compareAndSwap(
          byte[] originalData,
          byte[] newData,
          RemoteBucketState newState,
          Optional<Long> timeoutNanos) {
        String doing = "writing rate limit bucket '" + key + "'";
        return originalData == null
            ? store.write(doing, c -> rows.create(c, key, newData))
            : store.write(doing, c -> rows.swap(c, key, readVersion, newData));
      }
    };
  }

  @Override
  protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
    throw new UnsupportedOperationException("rate limit buckets in the database are synchronous");
  }

  @Override
  public void removeProxy(String key) {
    store.write(
        "removing rate limit bucket '" + key + "'",
        c -> {
          rows.delete(c, key);
          return null;
        });
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("rate limit buckets in the database are synchronous"));
  }

  @Override
  public boolean isAsyncModeSupported() {
    return false;
  }
}
