package dev.bridle.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code budgets:} section: limits, what happens when they are spent, and the prices. */
class WorkflowBudgetsTest {

  static final String HEAD =
      """
      name: budgeted
      version: "1"
      goal: Answer questions about tickets.
      model: {provider: scripted, name: scripted, max-output-tokens: 700}
      tools: [policy-test-tools]
      effect-cap: external
      """;

  static final String BUDGETS =
      HEAD
          + """
          budgets:
            per-run: {tokens: 20000}
            per-user-per-month: {usd: "1.50", soft-threshold: 0.5}
            per-workflow-per-day: {tokens: 5000000, usd: 40}
            on-exhausted: park
            max-output-tokens: 512
          """;

  static final String PRICES =
      """
      {
        "format": 1,
        "currency": "USD",
        "unit": "per-million-tokens",
        "prices": [
          {"model": "acme:small", "effective": "2026-01-01", "input": 0.20, "output": 0.80}
        ]
      }
      """;

  @TempDir Path dir;

  @Test
  void everyKeyIsRead() {
    BudgetSettings settings = parse(BUDGETS).budgets();

    assertThat(settings.budgets())
        .isEqualTo(
            Budgets.NONE
                .withPerRun(BudgetLimit.tokens(20_000))
                .withPerUserPerMonth(BudgetLimit.usd("1.50").withSoftThreshold(0.5))
                .withPerWorkflowPerDay(BudgetLimit.tokens(5_000_000).withMaxUsd("40")));
    assertThat(settings.onExhausted()).isEqualTo(BudgetSettings.OnExhausted.PARK);
    assertThat(settings.maxOutputTokens()).isEqualTo(512);
    assertThat(settings.limited()).isTrue();
    assertThat(settings.prices()).isSameAs(PriceTable.shipped());
    assertThat(settings.priceFile()).isEmpty();
  }

  @Test
  void withoutASectionNothingIsLimitedAndTheModelsOutputCapIsTheEstimatesOutput() {
    BudgetSettings settings = parse(HEAD).budgets();

    assertThat(settings.limited()).isFalse();
    assertThat(settings.budgets()).isEqualTo(Budgets.NONE);
    assertThat(settings.onExhausted()).isEqualTo(BudgetSettings.OnExhausted.STOP);
    assertThat(settings.maxOutputTokens()).isEqualTo(700);
    assertThat(parse(HEAD.replace(", max-output-tokens: 700", "")).budgets().maxOutputTokens())
        .isEqualTo(BudgetSettings.DEFAULT_MAX_OUTPUT_TOKENS);
  }

  @Test
  void thePriceFileIsReadRelativeToTheWorkflowFileAndOverridesTheShippedTable() throws Exception {
    Files.createDirectories(dir.resolve("flows"));
    Files.createDirectories(dir.resolve("prices"));
    Files.writeString(dir.resolve("prices/acme.json"), PRICES);
    Path file = dir.resolve("flows/wf.yaml");
    Files.writeString(file, HEAD + "budgets:\n  prices: ../prices/acme.json\n");

    BudgetSettings settings = Workflows.load(file).budgets();

    assertThat(settings.priceFile()).contains(dir.resolve("prices/acme.json"));
    assertThat(settings.prices().price("acme:small", LocalDate.of(2026, 3, 1)))
        .hasValueSatisfying(p -> assertThat(p.inputPerMillion()).isEqualByComparingTo("0.20"));
    assertThat(settings.prices().models()).contains("openai:gpt-4o");
    assertThat(settings.limited()).isFalse();
  }

  @Test
  void aMissingOrMalformedPriceFileIsNamedAtTheKey() throws Exception {
    Path file = dir.resolve("wf.yaml");
    Files.writeString(file, HEAD + "budgets:\n  prices: acme.json\n");

    assertThatThrownBy(() -> Workflows.load(file))
        .isInstanceOf(WorkflowException.class)
        .hasMessageStartingWith(
            file + ":8:3: cannot read the price table " + dir.resolve("acme.json"))
        .hasMessageEndingWith(" in 'budgets.prices'");

    Files.writeString(dir.resolve("acme.json"), PRICES.replace("0.80", "\"0.80\""));
    assertThatThrownBy(() -> Workflows.load(file))
        .hasMessageStartingWith(file + ":8:3: price table " + dir.resolve("acme.json") + ": ")
        .hasMessageContaining("$.prices[0].output");
  }

  @Test
  void mistakesInALimitAreNamedWithTheirLine() {
    assertThatThrownBy(() -> parse(BUDGETS.replace("{tokens: 20000}", "{soft-threshold: 0.9}")))
        .isInstanceOf(WorkflowException.class)
        .hasMessage("wf.yaml:8:3: a budget needs tokens, usd or both in 'budgets.per-run'");
    assertThatThrownBy(() -> parse(BUDGETS.replace("\"1.50\"", "\"$1.50\"")))
        .hasMessage(
            "wf.yaml:9:3: usd must be a positive amount of dollars such as \"1.50\", but was"
                + " '$1.50' in 'budgets.per-user-per-month'");
    assertThatThrownBy(() -> parse(BUDGETS.replace("soft-threshold: 0.5", "soft-threshold: 80")))
        .hasMessage(
            "wf.yaml:9:3: soft-threshold must be above 0 and at most 1, but was 80.0 in"
                + " 'budgets.per-user-per-month'");
    assertThatThrownBy(() -> parse(BUDGETS.replace("tokens: 20000", "tokens: -5")))
        .hasMessage("wf.yaml:8:3: tokens must be positive, but was -5 in 'budgets.per-run'");
    assertThatThrownBy(() -> parse(BUDGETS.replace("{tokens: 20000}", "{tokens: 2, soft: 1}")))
        .hasMessage(
            "wf.yaml:8:24: unknown key 'soft' in 'budgets.per-run'; known keys here:"
                + " soft-threshold, tokens, usd");
  }

  @Test
  void mistakesInTheOtherKeysAreNamedWithTheirLine() {
    assertThatThrownBy(() -> parse(BUDGETS.replace("on-exhausted: park", "on-exhausted: pause")))
        .hasMessage(
            "wf.yaml:11:3: wrong value for 'budgets.on-exhausted': 'pause' is not one of STOP,"
                + " PARK");
    assertThatThrownBy(
            () -> parse(BUDGETS.replace("max-output-tokens: 512", "max-output-tokens: 0")))
        .hasMessage("wf.yaml:7:1: max-output-tokens must be positive, but was 0 in 'budgets'");
    assertThatThrownBy(() -> parse(BUDGETS.replace("per-run:", "per-runs:")))
        .hasMessageStartingWith(
            "wf.yaml:8:3: unknown key 'per-runs' in 'budgets'; known keys here:");
  }

  @Test
  void theAgentNeedsASpendStoreWhenBudgetsAreSet() throws Exception {
    WorkflowDefinition workflow = parse(BUDGETS);
    ScriptedChatModel model = ScriptedChatModel.builder().thenAnswer("x").build();
    ClassLoader loader = WorkflowsTest.loader(dir);

    assertThatThrownBy(() -> Workflows.agent(workflow, model, loader))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "workflow 'budgeted' sets budgets (per-run, per-user-per-month,"
                + " per-workflow-per-day), but no spend store was given: a budget must count what"
                + " earlier runs spent, also after a restart, so pass a durable SpendStore with"
                + " WorkflowServices.withSpendStore(...)");

    Agent agent =
        Workflows.agent(
                workflow,
                model,
                loader,
                WorkflowServices.none().withSpendStore(new InMemorySpendStore()))
            .build();
    assertThat(agent.metering().ledger()).isNotNull();
    assertThat(agent.metering().parkWhenExhausted()).isTrue();
    assertThat(agent.metering().maxOutputTokens()).isEqualTo(512);
  }

  @Test
  void withoutLimitsNoSpendStoreIsNeededAndOnlyPricesAreKept() throws Exception {
    Agent agent =
        Workflows.agent(
                parse(HEAD),
                ScriptedChatModel.builder().thenAnswer("x").build(),
                WorkflowsTest.loader(dir))
            .build();

    assertThat(agent.metering().ledger()).isNull();
    assertThat(agent.metering().prices()).isSameAs(PriceTable.shipped());
  }

  @Test
  void aRunWhoseFirstCallWouldCrossTheRunBudgetStopsBeforeTheModelIsCalled() throws Exception {
    WorkflowDefinition workflow =
        parse(HEAD + "budgets:\n  per-run: {tokens: 100}\n  on-exhausted: stop\n");
    Agent agent =
        Workflows.agent(
                workflow,
                ScriptedChatModel.builder().thenAnswer("never asked").build(),
                WorkflowsTest.loader(dir),
                WorkflowServices.none().withSpendStore(new InMemorySpendStore()))
            .build();

    RunResult result = agent.run("How do I export my invoices?");

    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            RunOutcome.BudgetExhausted.class,
            exhausted -> assertThat(exhausted.reason()).contains("100"));
    assertThat(result.usage().totalTokens()).isZero();
  }

  private static WorkflowDefinition parse(String yaml) {
    return Workflows.parse("wf.yaml", yaml);
  }
}
