package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.cost.BudgetScope;
import dev.bridle.core.cost.Spend;
import dev.bridle.core.cost.SpendStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpendStore} must do: totals per scope and period, each add atomic and returning
 * the new total, dollars exact to the last digit. Core's {@link
 * dev.bridle.core.cost.InMemorySpendStore} is the reference; the durable ones add sharing in {@link
 * JdbcSpendStoreContract}.
 */
abstract class SpendStoreContract {

  static final BudgetScope ALICE = BudgetScope.user("alice");
  static final String NOVEMBER = "2026-11";

  protected SpendStore spending;

  /** A new spend store over nothing spent. */
  protected abstract SpendStore open() throws Exception;

  /** Releases what the {@link #open}s took. */
  protected void closeAll() {}

  @BeforeEach
  void openTheStore() throws Exception {
    spending = open();
  }

  @AfterEach
  void closeTheStore() {
    closeAll();
  }

  static Spend spend(long tokens, String usd) {
    return new Spend(tokens, new BigDecimal(usd));
  }

  /** Equal tokens and dollars equal in value (a database may give {@code 0.3} for {@code 0.30}). */
  static void assertSpend(Spend actual, long tokens, String usd) {
    assertThat(actual.tokens()).as("tokens").isEqualTo(tokens);
    assertThat(actual.usd()).as("usd").isEqualByComparingTo(usd);
  }

  @Test
  void nothingSpentIsZero() {
    assertThat(spending.total(ALICE, NOVEMBER)).isEqualTo(Spend.ZERO);
  }

  @Test
  void anAddReturnsTheNewTotalWhichTotalThenReads() {
    assertSpend(spending.add(ALICE, NOVEMBER, spend(1200, "0.10")), 1200, "0.10");
    assertSpend(spending.add(ALICE, NOVEMBER, spend(800, "0.20")), 2000, "0.30");

    assertSpend(spending.total(ALICE, NOVEMBER), 2000, "0.30");
  }

  @Test
  void dollarsAreAddedExactlyHoweverManyDecimalsOrDigitsTheyHave() {
    // one token at $0.075 per million tokens, three times, then a dime
    spending.add(ALICE, NOVEMBER, spend(1, "0.000000075"));
    spending.add(ALICE, NOVEMBER, spend(1, "0.000000075"));
    spending.add(ALICE, NOVEMBER, spend(1, "0.000000075"));
    assertSpend(spending.add(ALICE, NOVEMBER, spend(0, "0.1")), 3, "0.100000225");

    BudgetScope big = BudgetScope.workflow("bulk-import");
    spending.add(big, "2026-11-22", spend(0, "12345678901234567890.123456789012345678901"));
    assertThat(spending.add(big, "2026-11-22", spend(0, "0.000000000000000000001")).usd())
        .isEqualByComparingTo("12345678901234567890.123456789012345678902");
    assertThat(spending.total(big, "2026-11-22").usd())
        .isEqualByComparingTo("12345678901234567890.123456789012345678902");
  }

  @Test
  void eachScopeSubjectAndPeriodHasItsOwnTotal() {
    spending.add(ALICE, NOVEMBER, spend(10, "1"));
    spending.add(ALICE, "2026-12", spend(20, "2"));
    spending.add(BudgetScope.user("bob"), NOVEMBER, spend(30, "3"));
    spending.add(BudgetScope.workflow("alice"), NOVEMBER, spend(40, "4"));
    spending.add(BudgetScope.run("alice"), "run", spend(50, "5"));

    assertSpend(spending.total(ALICE, NOVEMBER), 10, "1");
    assertSpend(spending.total(ALICE, "2026-12"), 20, "2");
    assertSpend(spending.total(BudgetScope.user("bob"), NOVEMBER), 30, "3");
    assertSpend(spending.total(BudgetScope.workflow("alice"), NOVEMBER), 40, "4");
    assertSpend(spending.total(BudgetScope.run("alice"), "run"), 50, "5");
    assertThat(spending.total(BudgetScope.run("alice"), NOVEMBER)).isEqualTo(Spend.ZERO);
  }

  @Test
  void addingNothingStartsATotalOfZero() {
    assertSpend(spending.add(ALICE, NOVEMBER, Spend.ZERO), 0, "0");
    assertSpend(spending.total(ALICE, NOVEMBER), 0, "0");
  }

  @Test
  void subjectsAndPeriodKeysKeepEveryCharacter() {
    BudgetScope zoe = BudgetScope.user("zoë 🦊 o'brien");
    spending.add(zoe, NOVEMBER, spend(7, "0.07"));

    assertSpend(spending.total(zoe, NOVEMBER), 7, "0.07");
    assertThat(spending.total(BudgetScope.user("zoë"), NOVEMBER)).isEqualTo(Spend.ZERO);
  }

  @Test
  void concurrentAddsFromEightThreadsSumExactlyAndEachSeesItsOwnNewTotal() throws Exception {
    int threads = 8;
    int addsPerThread = 25;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Spend>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Spend> seen = new ArrayList<>();
                  for (int i = 0; i < addsPerThread; i++) {
                    seen.add(spending.add(ALICE, NOVEMBER, spend(3, "0.000001")));
                  }
                  return seen;
                }));
      }
      List<Long> returnedTokens = new ArrayList<>();
      for (Future<List<Spend>> result : results) {
        for (Spend total : result.get()) {
          returnedTokens.add(total.tokens());
          assertThat(total.usd())
              .as("each total's dollars match its tokens")
              .isEqualByComparingTo(
                  new BigDecimal("0.000001").multiply(BigDecimal.valueOf(total.tokens() / 3)));
        }
      }
      int adds = threads * addsPerThread;
      assertThat(returnedTokens)
          .as("every add saw a total of its own: none was lost or counted twice")
          .containsExactlyInAnyOrderElementsOf(
              LongStream.rangeClosed(1, adds).map(n -> 3 * n).boxed().toList());
      assertSpend(spending.total(ALICE, NOVEMBER), 3L * adds, "0.0002");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> spending.add(null, NOVEMBER, Spend.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("scope");
    assertThatThrownBy(() -> spending.add(ALICE, null, Spend.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("periodKey");
    assertThatThrownBy(() -> spending.add(ALICE, NOVEMBER, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("spend");
    assertThatThrownBy(() -> spending.total(ALICE, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("periodKey");
  }
}
