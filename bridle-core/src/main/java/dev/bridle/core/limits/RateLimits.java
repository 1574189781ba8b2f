package dev.bridle.core.limits;

import dev.bridle.core.policy.Glob;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rate limits of one workflow and the limiter that keeps their buckets. {@link #acquire} takes
 * a token from every limit that counts the call, waiting where a limit says so.
 */
public final class RateLimits {

  /** No limits at all. */
  public static final RateLimits NONE = new RateLimits(List.of(), (key, limit) -> Duration.ZERO);

  private final List<RateLimit> limits;
  private final RateLimiter limiter;

  public RateLimits(List<RateLimit> limits, RateLimiter limiter) {
    this.limits = List.copyOf(limits);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  public List<RateLimit> limits() {
    return limits;
  }

  /** Why a call was refused, with when to try again. */
  public record Refusal(RateLimit limit, Duration retryAfter) {
    public String observation(String toolName) {
      return "Rate limit reached ("
          + limit.describe()
          + "): "
          + toolName
          + " was not run. Try again in "
          + Math.max(1, (retryAfter.toMillis() + 999) / 1000)
          + " s, or continue without it.";
    }
  }

  /**
   * Takes a token for a call of {@code toolName} from each limit that counts it.
   *
   * @return empty when the call may run; a refusal when a limit is exhausted and waiting (if
   *     allowed) did not help
   */
  public Optional<Refusal> acquire(String workflow, String user, String toolName)
      throws InterruptedException {
    for (RateLimit limit : limits) {
      if (!Glob.matches(limit.tools(), toolName)) {
        continue;
      }
      String key = limit.key(workflow, user, toolName);
      Duration wait = limiter.tryTake(key, limit);
      if (!wait.isZero()
          && limit.onLimit() == RateLimit.OnLimit.WAIT
          && wait.compareTo(limit.maxWait()) <= 0) {
        Thread.sleep(wait.toMillis() + 1);
        wait = limiter.tryTake(key, limit);
      }
      if (!wait.isZero()) {
        return Optional.of(new Refusal(limit, wait));
      }
    }
    return Optional.empty();
  }
}
