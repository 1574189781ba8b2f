package dev.bridle.store;

import dev.bridle.core.journal.RunStore;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimiter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A process of {@link RateLimiterAcrossProcessesTest}: opens the store, prints {@code READY}, waits
 * for {@code GO} on its standard input, then tries to take {@code ATTEMPTS} tokens from one bucket
 * of 10 per minute and prints {@code GRANTED <n>}.
 *
 * <p>Arguments: {@code STORE_URL ATTEMPTS NOW}; {@code NOW} is the instant both processes' clocks
 * stand at, so that no token is refilled while they run, however slow the machine.
 */
public final class RateLimiterChild {

  static final RateLimit TEN_PER_MINUTE =
      RateLimit.of(RateLimit.Scope.WORKFLOW, "crm:*", 10, Duration.ofMinutes(1));

  private RateLimiterChild() {}

  public static void main(String[] args) throws Exception {
    int attempts = Integer.parseInt(args[1]);
    Clock clock = Clock.fixed(Instant.parse(args[2]), ZoneOffset.UTC);
    try (RunStore store = RunStores.open(args[0])) {
      RateLimiter limiter = RunStores.rateLimiter(store, clock);
      String key = TEN_PER_MINUTE.key("leads", "dana", "crm:update_lead");
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"GO".equals(in.readLine())) {
        throw new IllegalStateException("expected GO on standard input");
      }
      int granted = 0;
      for (int i = 0; i < attempts; i++) {
        if (limiter.tryTake(key, TEN_PER_MINUTE).isZero()) {
          granted++;
        }
      }
      System.out.println("GRANTED " + granted);
      System.out.flush();
    }
  }
}
