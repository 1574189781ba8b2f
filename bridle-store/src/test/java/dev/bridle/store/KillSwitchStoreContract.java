package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.KillSwitch.Kill;
import dev.bridle.core.control.KillSwitch.Scope;
import dev.bridle.store.KillSwitchStore.Action;
import dev.bridle.store.KillSwitchStore.LogEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What the durable kill switches add to {@link KillSwitchContract}: the log of every action, and
 * switches shared by every node of one database.
 */
abstract class KillSwitchStoreContract extends KillSwitchContract {

  /** New kill switches over an empty database, timed by {@code clock}. */
  @Override
  protected abstract KillSwitchStore open(Clock clock) throws Exception;

  /** Another node's kill switches, on the database of the last {@link #open}. */
  protected abstract KillSwitchStore openAnotherNode(Clock clock) throws Exception;

  @Override
  protected void close(KillSwitch switches) {
    ((KillSwitchStore) switches).close();
  }

  private KillSwitchStore store() {
    return (KillSwitchStore) switches;
  }

  @Test
  void theLogHoldsEveryKillAndEveryReviveThatTurnedASwitchOffNewestFirst() {
    clock.set(at(1));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop");
    clock.set(at(2));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:dana", "still looping");
    clock.set(at(3));
    switches.kill(Scope.GLOBAL, null, "ops:dana", "");
    clock.set(at(4));
    switches.revive(Scope.WORKFLOW, REFUNDS, "ops:lee");
    clock.set(at(5));
    switches.revive(Scope.WORKFLOW, REFUNDS, "ops:lee"); // was off: nothing happened
    switches.revive(Scope.AGENT, REFUNDS_AGENT, "ops:lee"); // never on

    assertThat(store().history(10))
        .containsExactly(
            new LogEntry(4, Action.REVIVE, Scope.WORKFLOW, REFUNDS, "ops:lee", "", at(4)),
            new LogEntry(3, Action.KILL, Scope.GLOBAL, "*", "ops:dana", "", at(3)),
            new LogEntry(
                2, Action.KILL, Scope.WORKFLOW, REFUNDS, "ops:dana", "still looping", at(2)),
            new LogEntry(1, Action.KILL, Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop", at(1)));
    assertThat(store().history(2)).extracting(LogEntry::seq).containsExactly(4L, 3L);
    assertThat(switches.active()).extracting(Kill::scope).containsExactly(Scope.GLOBAL);
  }

  @Test
  void theLogIsEmptyAtFirstAndItsLimitIsChecked() {
    assertThat(store().history(1)).isEmpty();
    assertThatThrownBy(() -> store().history(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history limit must be between 1 and 10000, but was 0");
    assertThatThrownBy(() -> store().history(10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history limit must be between 1 and 10000, but was 10001");
  }

  @Test
  void aRefusedActionIsNotLogged() {
    assertThatThrownBy(() -> switches.kill(Scope.AGENT, null, "ops:lee", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> switches.kill(Scope.AGENT, REFUNDS_AGENT, null, "x"))
        .isInstanceOf(NullPointerException.class);

    assertThat(store().history(10)).isEmpty();
  }

  @Test
  void everyNodeOfTheDatabaseSeesTheSwitchesAndTheLog() throws Exception {
    try (KillSwitchStore other = openAnotherNode(clock)) {
      clock.set(at(7));
      switches.kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "INC-2291");

      assertThat(other.check(REFUNDS, REFUNDS_AGENT))
          .contains(new Kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "INC-2291", at(7)));

      clock.set(at(8));
      assertThat(other.revive(Scope.AGENT, REFUNDS_AGENT, "ops:dana")).isTrue();
      assertThat(switches.active()).isEmpty();
      assertThat(switches.revive(Scope.AGENT, REFUNDS_AGENT, "ops:lee")).isFalse();
      assertThat(store().history(10)).isEqualTo(other.history(10)).hasSize(2);
      assertThat(store().history(1).getFirst())
          .isEqualTo(
              new LogEntry(2, Action.REVIVE, Scope.AGENT, REFUNDS_AGENT, "ops:dana", "", at(8)));
    }
  }

  /** Two nodes, several threads each, all turning switches on at once: each action one entry. */
  @Test
  void concurrentActionsOnTwoNodesAreEachLoggedOnceInOneOrder() throws Exception {
    int threadsPerNode = 4;
    int killsPerThread = 10;
    CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
    ExecutorService threads = Executors.newFixedThreadPool(2 * threadsPerNode);
    try (KillSwitchStore other = openAnotherNode(clock)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerNode; t++) {
        KillSwitchStore node = t % 2 == 0 ? store() : other;
        String by = "ops:thread-" + t;
        done.add(
            threads.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < killsPerThread; i++) {
                    node.kill(Scope.WORKFLOW, "wf-" + (i % 3), by, "kill " + i);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    int total = 2 * threadsPerNode * killsPerThread;
    List<LogEntry> log = store().history(1_000);
    assertThat(log)
        .extracting(LogEntry::seq)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, total).map(i -> total + 1 - i).boxed().toList());
    assertThat(log).allSatisfy(entry -> assertThat(entry.action()).isEqualTo(Action.KILL));
    assertThat(switches.active())
        .extracting(Kill::target)
        .containsExactlyInAnyOrder("wf-0", "wf-1", "wf-2");
    for (Kill kill : switches.active()) {
      LogEntry last =
          log.stream()
              .filter(entry -> entry.target().equals(kill.target()))
              .findFirst()
              .orElseThrow();
      assertThat(kill.by()).as("the switch is the last kill logged for it").isEqualTo(last.by());
      assertThat(kill.reason()).isEqualTo(last.reason());
    }
  }
}
