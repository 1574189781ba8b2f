package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.control.KillSwitch.Scope;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill switch contract on SQLite: two nodes are two stores opened on one file. */
class SqliteKillSwitchContractTest extends KillSwitchStoreContract {

  @TempDir Path directory;

  private String url() {
    return "sqlite:" + directory.resolve("store/bridle.db");
  }

  @Override
  protected KillSwitchStore open(Clock clock) {
    return new JdbcKillSwitch(RunStores.open(url(), GroupCommitWriter.MAX_BATCH), clock, true);
  }

  @Override
  protected KillSwitchStore openAnotherNode(Clock clock) {
    return open(clock);
  }

  @Test
  void theSwitchesAndTheLogOutliveTheProcessThatWroteThem() {
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop");
    close(switches);

    try (KillSwitchStore reopened = RunStores.openKillSwitch(url())) {
      assertThat(reopened.check(REFUNDS, REFUNDS_AGENT)).isPresent();
      assertThat(reopened.history(10)).hasSize(1);
      assertThat(reopened.toString()).isEqualTo("KillSwitch[" + url() + "]");
    }
    switches = open(clock);
  }

  @Test
  void aKillSwitchOverAnOpenStoreSharesItsConnectionsAndLeavesItOpen() {
    try (RunStore store = RunStores.open(url())) {
      KillSwitchStore shared = RunStores.killSwitch(store);
      shared.kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "from the node");
      shared.close();

      assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).isPresent();
      assertThat(store.runIds()).as("the store is still open").isEmpty();
      assertThat(shared.active()).hasSize(1);

      store.close();
      assertThatThrownBy(shared::active)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("is closed: reading the kill switches");
      assertThatThrownBy(() -> shared.kill(Scope.GLOBAL, null, "ops:lee", ""))
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void onlyAStoreOpenedHereHasDurableKillSwitches() {
    assertThatThrownBy(() -> RunStores.killSwitch(new InMemoryRunStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryRunStore")
        .hasMessageContaining("InMemoryKillSwitch");
    assertThatThrownBy(() -> RunStores.killSwitch(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RunStores.openKillSwitch(" "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("store URL is empty");
    assertThatThrownBy(() -> RunStores.openKillSwitch("mysql://root:hunter2@db/bridle"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("hunter2");
  }
}
