package dev.bridle.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.ModelPrice;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import dev.bridle.core.tool.Tool;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Cost recorded on every model call, and budgets enforced before each one. */
class MeteringTest {

  record Noop() {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final AtomicInteger calls = new AtomicInteger();
  private final List<dev.bridle.core.control.Notifier.Notification> alerts =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** $1 per million input tokens, $2 per million output tokens. */
  private final PriceTable prices =
      PriceTable.of(
          List.of(
              new ModelPrice(
                  "test:priced",
                  LocalDate.parse("2026-01-01"),
                  new BigDecimal("1"),
                  new BigDecimal("0.5"),
                  new BigDecimal("2"),
                  Optional.empty(),
                  Optional.empty(),
                  true)));

  /** Calls a tool forever, 1,000 input and 500 output tokens per call. */
  private final ChatModel busy =
      new ChatModel() {
        @Override
        public ModelResponse chat(ModelRequest request) {
          int n = calls.incrementAndGet();
          return new ModelResponse(
              new ChatMessage.Assistant("", List.of(new ToolCall("c" + n, "noop", "{}"))),
              new Usage(1000, 500, 0),
              "test:priced");
        }

        @Override
        public String id() {
          return "test:priced";
        }
      };

  private Agent agent(Metering metering) {
    return Agent.builder()
        .name("meter")
        .model(busy)
        .tool(
            Tool.builder("noop", Noop.class)
                .description("does nothing")
                .handler((a, ctx) -> "ok")
                .build())
        .limits(Limits.DEFAULT.withMaxSteps(50).withLoopThreshold(100))
        .metering(metering)
        .notifier(alerts::add)
        .journal(store)
        .clock(clock)
        .build();
  }

  private <T extends RunEvent> List<T> events(RunId runId, Class<T> type) {
    return store.read(runId).stream()
        .map(JournalEntry::event)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  @Test
  void aRunBudgetStopsTheRunBeforeTheCallThatWouldCrossItAndEveryCallIsPriced() {
    BudgetLedger ledger =
        BudgetLedger.of(
            Budgets.NONE.withPerRun(BudgetLimit.tokens(6_000).withSoftThreshold(0.5)),
            new InMemorySpendStore(),
            clock);
    RunId runId = RunId.of("run-budget");

    RunResult result = agent(new Metering(prices, ledger, 500, false)).run(runId, "spend", "bob");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.BudgetExhausted.class);
    assertThat(result.outcome().message()).contains("budget exhausted");
    // each call uses 1,500 tokens; the estimate of the next call includes 500 output tokens
    assertThat(calls.get()).isBetween(2, 4);
    assertThat(result.usage().totalTokens()).isLessThanOrEqualTo(6_000);
    List<RunEvent.ModelResponded> responded = events(runId, RunEvent.ModelResponded.class);
    assertThat(responded).allSatisfy(r -> assertThat(r.costUsd()).isEqualByComparingTo("0.002"));
    assertThat(alerts)
        .extracting(dev.bridle.core.control.Notifier.Notification::kind)
        .contains(dev.bridle.core.control.Notifier.Kind.BUDGET_ALERT);
    assertThat(events(runId, RunEvent.BudgetThresholdCrossed.class))
        .first()
        .satisfies(c -> assertThat(c.hard()).isFalse());
    RunEvent.RunFailed failed = events(runId, RunEvent.RunFailed.class).getFirst();
    assertThat(failed.kind()).isEqualTo(RunEvent.FailureKind.BUDGET);
  }

  @Test
  void aWorkflowThatParksOnExhaustionWaitsForAHumanAndResumesWhenTheBudgetAllows() {
    InMemorySpendStore spend = new InMemorySpendStore();
    BudgetLedger tight =
        BudgetLedger.of(
            Budgets.NONE.withPerWorkflowPerDay(BudgetLimit.tokens(3_000)), spend, clock);
    RunId runId = RunId.of("run-park");

    RunResult parked = agent(new Metering(prices, tight, 500, true)).run(runId, "spend", "bob");

    assertThat(parked.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(parked.outcome().message()).contains("budget exhausted");
    int callsWhenParked = calls.get();

    // the next day the workflow's daily budget is fresh: the run goes on until it is spent again
    clock.advance(java.time.Duration.ofDays(1));
    RunResult resumed = agent(new Metering(prices, tight, 500, true)).resume(runId);
    assertThat(calls.get()).isGreaterThan(callsWhenParked);
    assertThat(resumed.outcome()).isInstanceOf(RunOutcome.Suspended.class);
  }

  @Test
  void aModelWithoutAPriceIsRecordedAsUnknownNotFree() {
    RunId runId = RunId.of("run-unpriced");
    Agent agent =
        Agent.builder()
            .name("meter")
            .model(
                request ->
                    new ModelResponse(
                        ChatMessage.Assistant.text("hi"), new Usage(5, 5, 0), "test:unpriced"))
            .metering(new Metering(prices, null, 100, false))
            .journal(store)
            .clock(clock)
            .build();

    agent.run(runId, "hi", "bob");

    assertThat(events(runId, RunEvent.ModelResponded.class).getFirst().costUsd()).isNull();
  }
}
