package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.journal.RunStore;
import dev.bridle.core.limits.RateLimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rate limit shared by two processes on one database: two JVMs on one SQLite file take from one
 * bucket of 10 per minute, 10 attempts each at the same time, and exactly 10 are granted in all.
 */
class RateLimiterAcrossProcessesTest {

  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(90);

  @TempDir Path directory;

  @Test
  void twoProcessesOnOneSqliteFileShareOneBucket() throws Exception {
    String url = "sqlite:" + directory.resolve("bridle.db");
    String now = Events.at(0).toString();
    try (RunStore store = RunStores.open(url)) { // migrated once, before the children start
      ChildJvm first = ChildJvm.start(RateLimiterChild.class, List.of(), url, "10", now);
      ChildJvm second = ChildJvm.start(RateLimiterChild.class, List.of(), url, "10", now);
      try {
        for (ChildJvm child : List.of(first, second)) {
          await()
              .atMost(PROCESS_LIMIT)
              .until(() -> child.lines().contains("READY") || !child.process().isAlive());
          assertThat(child.lines()).as("the child's output").contains("READY");
        }
        go(first);
        go(second);
        int granted = granted(first) + granted(second);

        assertThat(granted).isEqualTo(10);
        RateLimiter here = RunStores.rateLimiter(store, Clock.fixed(Events.at(0), ZoneOffset.UTC));
        String key = RateLimiterChild.TEN_PER_MINUTE.key("leads", "dana", "crm:update_lead");
        assertThat(here.tryTake(key, RateLimiterChild.TEN_PER_MINUTE))
            .as("this process sees the bucket they emptied")
            .isEqualTo(Duration.ofSeconds(6));
      } finally {
        first.process().destroyForcibly();
        second.process().destroyForcibly();
      }
    }
  }

  private static void go(ChildJvm child) throws IOException {
    OutputStream in = child.process().getOutputStream();
    in.write("GO\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private static int granted(ChildJvm child) throws InterruptedException {
    assertThat(child.process().waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS))
        .as("the child ended in time; its output: %s", child.lines())
        .isTrue();
    assertThat(child.process().exitValue()).as("its output: %s", child.lines()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> grantedLine(child) != null);
    return Integer.parseInt(grantedLine(child).substring("GRANTED ".length()));
  }

  private static String grantedLine(ChildJvm child) {
    return child.lines().stream().filter(l -> l.startsWith("GRANTED ")).findFirst().orElse(null);
  }
}
