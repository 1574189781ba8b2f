package dev.bridle.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.BudgetCrossing.Measure;
import dev.bridle.core.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {

  private static final String MINI = "openai:gpt-4o-mini";

  private final TestClock clock = new TestClock("2026-11-30T23:00:00Z");
  private final InMemorySpendStore store = new InMemorySpendStore();
  private final PriceTable prices = PriceTable.shipped();
  private final Spender alice = new Spender("run-1", Optional.of("alice"), "triage");

  private static CostEstimate tokens(long count) {
    return new CostEstimate(
        "acme:free", new Usage(count, 0, 0), new Cost.Known(BigDecimal.ZERO, freePrice()));
  }

  private static ModelPrice freePrice() {
    return ModelPrice.of(
        "acme:free", LocalDate.of(2020, 1, 1), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  private CostEstimate dollars(String usd) {
    return new CostEstimate(
        MINI,
        new Usage(1, 0, 0),
        new Cost.Known(
            new BigDecimal(usd), prices.price(MINI, LocalDate.now(clock)).orElseThrow()));
  }

  private Cost cost(String usd) {
    return dollars(usd).cost();
  }

  @Test
  void aRunTokenLimitAllowsUpToItAndRefusesPastIt() {
    BudgetLedger ledger =
        BudgetLedger.of(Budgets.NONE.withPerRun(BudgetLimit.tokens(1_000)), store, clock);
    ledger.record(alice, new Usage(400, 100, 0), cost("0"));

    assertThat(ledger.check(alice, tokens(299))).isInstanceOf(BudgetDecision.Allowed.class);
    assertThat(ledger.check(alice, tokens(300))).isInstanceOf(BudgetDecision.SoftExceeded.class);
    assertThat(ledger.check(alice, tokens(500)))
        .as("exactly at the limit is allowed")
        .isInstanceOf(BudgetDecision.SoftExceeded.class);
    BudgetDecision refused = ledger.check(alice, tokens(501));

    assertThat(refused).isInstanceOf(BudgetDecision.HardExceeded.class);
    assertThat(refused.message())
        .isEqualTo(
            "run 'run-1' budget: 500 tokens spent + 501 tokens = 1001 tokens, over the limit of"
                + " 1000 tokens");
    BudgetCrossing crossing = ((BudgetDecision.HardExceeded) refused).crossings().getFirst();
    assertThat(crossing.scope()).isEqualTo(BudgetScope.run("run-1"));
    assertThat(crossing.measure()).isEqualTo(Measure.TOKENS);
    assertThat(crossing.adding()).contains(BigDecimal.valueOf(501));
    assertThat(ledger.check(new Spender("run-2", Optional.of("alice"), "triage"), tokens(900)))
        .as("another run has its own budget")
        .isInstanceOf(BudgetDecision.SoftExceeded.class);
    assertThat(ledger.metrics()).isEqualTo(new BudgetLedger.Metrics(5, 1, 0));
  }

  @Test
  void aUserDollarLimitCountsEveryRunOfTheMonthAndStartsAfreshNextMonth() {
    BudgetLedger ledger =
        BudgetLedger.of(Budgets.NONE.withPerUserPerMonth(BudgetLimit.usd("5")), store, clock);
    ledger.record(alice, new Usage(10, 10, 0), cost("3.00"));
    Spender aliceAgain = new Spender("run-2", Optional.of("alice"), "other-workflow");
    ledger.record(aliceAgain, new Usage(10, 10, 0), cost("1.50"));

    BudgetDecision refused = ledger.check(aliceAgain, dollars("0.60"));

    assertThat(refused.message())
        .isEqualTo(
            "user 'alice' budget for 2026-11: $4.5 spent + $0.6 = $5.1, over the limit of $5");
    assertThat(ledger.check(new Spender("run-3", Optional.of("bob"), "triage"), dollars("4.00")))
        .isInstanceOf(BudgetDecision.SoftExceeded.class);
    assertThat(ledger.spent(BudgetScope.user("alice")))
        .isEqualTo(new Spend(40, new BigDecimal("4.50")));

    clock.advance(Duration.ofHours(2)); // 2026-12-01T01:00Z

    assertThat(ledger.periodKey(BudgetScope.Period.USER_MONTH)).isEqualTo("2026-12");
    assertThat(ledger.check(aliceAgain, dollars("0.60")))
        .isInstanceOf(BudgetDecision.Allowed.class);
    assertThat(store.total(BudgetScope.user("alice"), "2026-11").usd())
        .isEqualByComparingTo("4.50");
  }

  @Test
  void aWorkflowDayLimitRollsOverAtMidnightOfTheClocksZone() {
    BudgetLedger ledger =
        BudgetLedger.of(
            Budgets.NONE.withPerWorkflowPerDay(BudgetLimit.tokens(100).withMaxUsd("1")),
            store,
            clock);
    ledger.record(alice, new Usage(60, 30, 0), cost("0.10"));
    Spender anonymous = new Spender("run-9", Optional.empty(), "triage");

    BudgetDecision refused = ledger.check(anonymous, tokens(11));

    assertThat(refused).isInstanceOf(BudgetDecision.HardExceeded.class);
    assertThat(refused.message())
        .startsWith("workflow 'triage' budget for 2026-11-30: 90 tokens spent + 11 tokens");
    assertThat(anonymous.scopes())
        .containsExactly(BudgetScope.run("run-9"), BudgetScope.workflow("triage"));

    clock.advance(Duration.ofHours(1));

    assertThat(ledger.check(anonymous, tokens(11))).isInstanceOf(BudgetDecision.Allowed.class);
  }

  @Test
  void crossingTheSoftThresholdRaisesOneAlertAndCountsIt() {
    BudgetLedger ledger =
        BudgetLedger.of(
            Budgets.NONE.withPerUserPerMonth(BudgetLimit.usd("10").withSoftThreshold(0.5)),
            store,
            clock);
    List<BudgetAlert> alerts = new ArrayList<>();
    ledger.onSoftThreshold(alerts::add);

    assertThat(ledger.record(alice, new Usage(1, 1, 0), cost("4.99")))
        .isInstanceOf(BudgetDecision.Allowed.class);
    BudgetDecision afterCrossing = ledger.record(alice, new Usage(1, 1, 0), cost("0.01"));
    BudgetDecision afterMore = ledger.record(alice, new Usage(1, 1, 0), cost("1"));

    assertThat(afterCrossing).isInstanceOf(BudgetDecision.SoftExceeded.class);
    assertThat(afterMore).isInstanceOf(BudgetDecision.SoftExceeded.class);
    assertThat(alerts).hasSize(1);
    BudgetAlert alert = alerts.getFirst();
    assertThat(alert.at()).isEqualTo(clock.instant());
    assertThat(alert.crossing().message())
        .isEqualTo(
            "user 'alice' budget for 2026-11: $4.99 spent + $0.01 = $5, 50% of the limit of $10"
                + " (soft threshold 50%)");
    assertThat(ledger.metrics().softAlerts()).isEqualTo(1);
  }

  @Test
  void spendingPastTheLimitIsRecordedAndTheNextCheckRefuses() {
    BudgetLedger ledger =
        BudgetLedger.of(Budgets.NONE.withPerRun(BudgetLimit.tokens(100)), store, clock);
    List<BudgetAlert> alerts = new ArrayList<>();
    ledger.onSoftThreshold(alerts::add);

    BudgetDecision afterRecord = ledger.record(alice, new Usage(90, 30, 0), cost("0"));

    assertThat(afterRecord).isInstanceOf(BudgetDecision.HardExceeded.class);
    assertThat(alerts).as("jumping past the limit also crosses the soft threshold").hasSize(1);
    assertThat(ledger.check(alice, tokens(1))).isInstanceOf(BudgetDecision.HardExceeded.class);
  }

  @Test
  void anUnknownCostIsRefusedWhereADollarLimitAppliesOnly() {
    CostEstimate unknown =
        new CostEstimate(
            "acme:mystery",
            new Usage(10, 10, 0),
            prices.cost("acme:mystery", Usage.ZERO, LocalDate.now(clock)));
    BudgetLedger dollarLedger =
        BudgetLedger.of(Budgets.NONE.withPerRun(BudgetLimit.usd("1")), store, clock);
    BudgetLedger tokenLedger =
        BudgetLedger.of(Budgets.NONE.withPerRun(BudgetLimit.tokens(1_000)), store, clock);

    BudgetDecision refused = dollarLedger.check(alice, unknown);

    assertThat(refused).isInstanceOf(BudgetDecision.HardExceeded.class);
    assertThat(refused.message())
        .startsWith(
            "run 'run-1' budget has a limit of $1 that cannot be checked: no price for model"
                + " 'acme:mystery'");
    assertThat(((BudgetDecision.HardExceeded) refused).crossings().getFirst().adding()).isEmpty();
    assertThat(tokenLedger.check(alice, unknown)).isInstanceOf(BudgetDecision.Allowed.class);
  }

  @Test
  void noBudgetsLimitNothingButSpendingIsStillRecorded() {
    BudgetLedger ledger = BudgetLedger.of(Budgets.NONE, store, clock);

    ledger.record(alice, new Usage(1_000_000, 1_000_000, 0), cost("100"));

    assertThat(ledger.check(alice, tokens(1_000_000_000)))
        .isInstanceOf(BudgetDecision.Allowed.class);
    assertThat(ledger.spent(BudgetScope.workflow("triage")))
        .isEqualTo(new Spend(2_000_000, new BigDecimal("100")));
  }

  @Test
  void limitsAreValidatedWithTheirConfigNames() {
    assertThatThrownBy(() -> BudgetLimit.tokens(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-tokens must be positive, but was 0");
    assertThatThrownBy(() -> BudgetLimit.usd("ten"))
        .hasMessage("max-usd must be a decimal number of dollars such as 2.50, but was 'ten'");
    assertThatThrownBy(() -> BudgetLimit.usd("-1"))
        .hasMessage("max-usd must be positive, but was -1");
    assertThatThrownBy(() -> BudgetLimit.tokens(10).withSoftThreshold(1.5))
        .hasMessage("soft-threshold must be above 0 and at most 1, but was 1.5");
    assertThatThrownBy(() -> new BudgetLimit(java.util.OptionalLong.empty(), Optional.empty(), 0.8))
        .hasMessage("a budget needs max-tokens, max-usd or both, but has neither");
  }
}
