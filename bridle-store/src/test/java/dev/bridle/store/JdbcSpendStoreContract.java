package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.cost.BudgetScope;
import dev.bridle.core.cost.Spend;
import dev.bridle.core.cost.SpendStore;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What the spend stores in a database add to {@link SpendStoreContract}: totals shared by every
 * node of one database, over the connections of the run store they were made from.
 */
abstract class JdbcSpendStoreContract extends SpendStoreContract {

  private final List<RunStore> stores = new ArrayList<>();

  /** A run store over the test's database; the first of a test starts it empty. */
  protected abstract RunStore openRunStore() throws Exception;

  /** Another node: a run store of its own on the same database. */
  protected RunStore openAnotherNode() throws Exception {
    return track(openRunStore());
  }

  protected final RunStore track(RunStore store) {
    stores.add(store);
    return store;
  }

  @Override
  protected SpendStore open() throws Exception {
    return RunStores.spendStore(track(openRunStore()));
  }

  @Override
  protected void closeAll() {
    stores.forEach(RunStore::close);
  }

  @Test
  void everyNodeOnTheDatabaseSeesAndAddsToTheSameTotals() throws Exception {
    SpendStore other = RunStores.spendStore(openAnotherNode());

    spending.add(ALICE, NOVEMBER, spend(100, "0.25"));
    assertSpend(other.add(ALICE, NOVEMBER, spend(50, "0.5")), 150, "0.75");
    assertSpend(spending.total(ALICE, NOVEMBER), 150, "0.75");
  }

  @Test
  void concurrentAddsFromTwoNodesSumExactly() throws Exception {
    SpendStore other = RunStores.spendStore(openAnotherNode());
    int threadsPerNode = 4;
    int addsPerThread = 20;
    CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
    ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (SpendStore node : List.of(spending, other)) {
        for (int t = 0; t < threadsPerNode; t++) {
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < addsPerThread; i++) {
                      node.add(ALICE, NOVEMBER, spend(1, "0.0000001"));
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertSpend(spending.total(ALICE, NOVEMBER), 160, "0.000016");
  }

  @Test
  void aSpendStoreFailsOnceItsRunStoreIsClosed() throws Exception {
    RunStore store = openAnotherNode();
    SpendStore closing = RunStores.spendStore(store);
    closing.add(ALICE, NOVEMBER, spend(1, "1"));
    store.close();

    assertThatThrownBy(() -> closing.total(ALICE, NOVEMBER))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("reading the spending of user 'alice' in period '2026-11'");
    assertThatThrownBy(() -> closing.add(ALICE, NOVEMBER, spend(1, "1")))
        .isInstanceOf(StoreUnavailableException.class);
    assertSpend(spending.total(ALICE, NOVEMBER), 1, "1");
  }

  @Test
  void onlyAStoreOpenedHereKeepsSpendingInTheDatabase() {
    assertThatThrownBy(() -> RunStores.spendStore(new InMemoryRunStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryRunStore")
        .hasMessageContaining("InMemorySpendStore");
    assertThatThrownBy(() -> RunStores.spendStore(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void aRunsSpendingIsKeptUnderItsRunId() {
    BudgetScope run = BudgetScope.run("r-20261122-0001");
    spending.add(run, "run", spend(900, "0.0009"));

    assertThat(spending.total(run, "run")).isEqualTo(spend(900, "0.0009"));
    assertThat(spending.total(BudgetScope.run("r-20261122-0002"), "run")).isEqualTo(Spend.ZERO);
  }
}
