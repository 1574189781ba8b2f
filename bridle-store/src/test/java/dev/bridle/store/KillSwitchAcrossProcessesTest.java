package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.control.CachedKillSwitch;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.KillSwitch.Kill;
import dev.bridle.core.control.KillSwitch.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill switch turned on by one JVM stops the runs of another within a second: the other reads the
 * switches through a {@link CachedKillSwitch} (at most 250 ms old) over the same SQLite file, as a
 * node checks before each model and tool call.
 */
class KillSwitchAcrossProcessesTest {

  private static final Duration SEEN_WITHIN = Duration.ofSeconds(1);
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

  @TempDir Path directory;

  @Test
  void aKillInAnotherProcessIsSeenThroughTheCacheWithinOneSecond() throws Exception {
    String url = "sqlite:" + directory.resolve("bridle.db");
    try (KillSwitchStore store = RunStores.openKillSwitch(url)) {
      KillSwitch node = new CachedKillSwitch(store);
      AtomicInteger checksBeforeTheKill = new AtomicInteger();
      AtomicReference<Instant> seenAt = new AtomicReference<>();

      ChildJvm child =
          ChildJvm.start(
              KillSwitchChild.class,
              List.of(),
              url,
              "WORKFLOW",
              "refunds",
              "ops:other-jvm",
              "INC-2291 refund loop");
      // the node checks all along, as its runs would, so its cache always holds a fresh answer
      await()
          .atMost(PROCESS_LIMIT)
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                check(node, seenAt, checksBeforeTheKill);
                return killedAt(child) != null || !child.process().isAlive();
              });
      Instant killedAt = killedAt(child);
      assertThat(killedAt).as("the child's output: %s", child.lines()).isNotNull();
      Duration left = SEEN_WITHIN.minus(Duration.between(killedAt, Instant.now()));
      assertThat(left).as("time left of the second after the kill").isPositive();

      await()
          .atMost(left)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> check(node, seenAt, checksBeforeTheKill));

      assertThat(Duration.between(killedAt, seenAt.get())).isLessThan(SEEN_WITHIN);
      assertThat(checksBeforeTheKill.get())
          .as("the node was checking before the kill, with an answer it then had to drop")
          .isPositive();
      assertThat(node.check("refunds", "agent:refunds@4"))
          .map(Kill::describe)
          .contains(
              "the kill switch of workflow refunds is on (by ops:other-jvm: INC-2291 refund loop)");
      assertThat(node.check("triage", "agent:triage@1")).isEmpty();
      assertThat(store.history(10))
          .singleElement()
          .satisfies(entry -> assertThat(entry.by()).isEqualTo("ops:other-jvm"));
      assertThat(child.process().waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().exitValue()).isZero();
      assertThat(store.active()).extracting(Kill::scope).containsExactly(Scope.WORKFLOW);
    }
  }

  /** Checks once; true (and the moment noted) once the switch is seen. */
  private static boolean check(
      KillSwitch node, AtomicReference<Instant> seenAt, AtomicInteger checksBefore) {
    if (node.check("refunds", "agent:refunds@4").isPresent()) {
      seenAt.compareAndSet(null, Instant.now());
      return true;
    }
    checksBefore.incrementAndGet();
    return false;
  }

  private static Instant killedAt(ChildJvm child) {
    return child.lines().stream()
        .filter(line -> line.startsWith("KILLED "))
        .map(line -> Instant.parse(line.substring("KILLED ".length())))
        .findFirst()
        .orElse(null);
  }
}
