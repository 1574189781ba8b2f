package dev.bridle.models.resilience;

import static dev.bridle.models.resilience.OpenAiOverFake.QUESTION;
import static dev.bridle.models.resilience.OpenAiOverFake.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelException.Kind;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.Usage;
import dev.bridle.models.resilience.BreakerTransition.State;
import dev.bridle.models.resilience.Escalation.Attempt;
import dev.bridle.models.resilience.Escalation.Outcome;
import dev.bridle.models.resilience.Escalation.Savings;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.Fault;
import dev.bridle.testkit.Responders;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cascade of two real OpenAI adapters, each behind its own breaker, over two fake servers: the
 * cheap {@code gpt-4o-mini} first, the strong {@code gpt-4o} second.
 */
class CascadeChatModelTest {

  private static final String MINI = "openai:gpt-4o-mini";
  private static final String STRONG = "openai:gpt-4o";
  private static final ResponseCheck NOT_SURE =
      (request, response) ->
          response.message().text().contains("not sure")
              ? ResponseCheck.Verdict.reject("low confidence: the model is not sure")
              : ResponseCheck.Verdict.accept();

  private final TestClock clock = new TestClock("2026-11-22T10:00:00Z");
  private final LocalDate today = LocalDate.of(2026, 11, 22);
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final PriceTable prices = PriceTable.shipped();
  private final List<Escalation> escalations = new ArrayList<>();
  private final List<BreakerTransition> transitions = new ArrayList<>();
  private final ProviderBreakers breakers =
      ProviderBreakers.create(
          BreakerPolicy.DEFAULT
              .withSlidingWindow(4, 4)
              .withOpenFor(Duration.ofSeconds(30))
              .withHalfOpenCalls(2),
          clock);
  private FakeOpenAiServer cheapServer;
  private FakeOpenAiServer strongServer;

  @BeforeEach
  void start() {
    breakers.onTransition(transitions::add);
    cheapServer = FakeOpenAiServer.builder().build().start();
    strongServer =
        FakeOpenAiServer.builder().responder(Responders.text("42 euros")).build().start();
  }

  @AfterEach
  void stop() {
    cheapServer.close();
    strongServer.close();
  }

  private ResilientChatModel resilient(
      FakeOpenAiServer server, String name, String provider, RetryPolicy retry) {
    return ResilientChatModel.builder(model(server, name), breakers)
        .provider(provider)
        .retry(retry)
        .clock(clock)
        .sleeper(sleeper)
        .build();
  }

  private CascadeChatModel.Builder cascade(RetryPolicy retry) {
    return CascadeChatModel.builder()
        .model(resilient(cheapServer, "gpt-4o-mini", "fake-cheap", retry))
        .model(resilient(strongServer, "gpt-4o", "fake-strong", retry))
        .prices(prices)
        .clock(clock)
        .onEscalation(escalations::add);
  }

  private BigDecimal usd(String modelId, Usage usage) {
    return prices.cost(modelId, usage, today).usd().orElseThrow();
  }

  @Test
  void aCheapModelThatAnswersServesAndSavesAgainstTheStrongOne() {
    ModelResponse response = cascade(RetryPolicy.DEFAULT).build().chat(QUESTION);

    assertThat(response.modelId()).isEqualTo(MINI);
    assertThat(response.message().text()).isEqualTo("done");
    assertThat(strongServer.requestCount()).isZero();
    Escalation escalation = escalations.getFirst();
    assertThat(escalation.escalated()).isFalse();
    assertThat(escalation.attempts())
        .containsExactly(new Attempt(MINI, new Outcome.Accepted(MINI, response.usage())));
    BigDecimal spent = usd(MINI, response.usage());
    BigDecimal strongest = usd(STRONG, response.usage());
    assertThat(escalation.savings())
        .isEqualTo(new Savings.Known(spent, strongest, strongest.subtract(spent)));
    assertThat(strongest.subtract(spent)).isPositive();
  }

  @Test
  void aProviderDownOpensItsBreakerTheStrongModelServesAndTheCheapOneComesBack() {
    CascadeChatModel cascade = cascade(RetryPolicy.DEFAULT.withMaxAttempts(2)).build();
    cheapServer.faultEveryRequest(new Fault.ServerError());

    ModelResponse first = cascade.chat(QUESTION);
    ModelResponse second = cascade.chat(QUESTION);

    assertThat(List.of(first.modelId(), second.modelId())).containsOnly(STRONG);
    assertThat(first.message().text()).isEqualTo("42 euros");
    assertThat(cheapServer.requestCount()).as("two calls of two attempts").isEqualTo(4);
    assertThat(breakers.state("fake-cheap")).isEqualTo(State.OPEN);
    assertThat(escalations.get(0).attempts().get(0).outcome())
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            failed -> {
              assertThat(failed.kind()).isEqualTo(Kind.PROVIDER_ERROR);
              assertThat(failed.message())
                  .startsWith("gave up on openai:gpt-4o-mini after 2 attempts:");
            });
    assertThat(escalations.get(0).attempts().get(1))
        .isEqualTo(new Attempt(STRONG, new Outcome.Accepted(STRONG, first.usage())));
    assertThat(escalations.get(0).savings())
        .as("the strongest served: nothing saved, nothing lost")
        .isEqualTo(
            new Savings.Known(
                usd(STRONG, first.usage()), usd(STRONG, first.usage()), BigDecimal.ZERO));
    Instant openUntil = breakers.openUntil("fake-cheap").orElseThrow();

    ModelResponse third = cascade.chat(QUESTION);

    assertThat(third.modelId()).isEqualTo(STRONG);
    assertThat(cheapServer.requestCount()).as("an open breaker does not call").isEqualTo(4);
    assertThat(escalations.get(2).attempts())
        .containsExactly(
            new Attempt(MINI, new Outcome.CircuitOpen("fake-cheap", Optional.of(openUntil))),
            new Attempt(STRONG, new Outcome.Accepted(STRONG, third.usage())));

    cheapServer.clearFaults();
    clock.advance(Duration.ofSeconds(31));
    ModelResponse trial = cascade.chat(QUESTION);
    assertThat(breakers.state("fake-cheap")).isEqualTo(State.HALF_OPEN);
    ModelResponse secondTrial = cascade.chat(QUESTION);

    assertThat(List.of(trial.modelId(), secondTrial.modelId())).containsOnly(MINI);
    assertThat(breakers.state("fake-cheap")).isEqualTo(State.CLOSED);
    assertThat(transitions)
        .filteredOn(t -> t.provider().equals("fake-cheap"))
        .extracting(t -> t.from() + "->" + t.to())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    assertThat(transitions).noneMatch(t -> t.provider().equals("fake-strong"));
    assertThat(strongServer.requestCount()).isEqualTo(3);
    assertThat(escalations.get(3).savings())
        .isInstanceOfSatisfying(
            Savings.Known.class, saved -> assertThat(saved.savedUsd()).isPositive());
  }

  @Test
  void aRejectedAnswerEscalatesAndItsCostCountsAgainstTheSavings() {
    FakeOpenAiServer unsure =
        FakeOpenAiServer.builder().responder(Responders.text("I am not sure")).build().start();
    try {
      CascadeChatModel cascade =
          CascadeChatModel.builder()
              .model(resilient(unsure, "gpt-4o-mini", "fake-cheap", RetryPolicy.DEFAULT))
              .model(resilient(strongServer, "gpt-4o", "fake-strong", RetryPolicy.DEFAULT))
              .check(NOT_SURE)
              .prices(prices)
              .clock(clock)
              .onEscalation(escalations::add)
              .build();

      ModelResponse response = cascade.chat(QUESTION);

      assertThat(response.modelId()).isEqualTo(STRONG);
      assertThat(response.message().text()).isEqualTo("42 euros");
      Escalation escalation = escalations.getFirst();
      Usage rejectedUsage = escalation.attempts().getFirst().usage();
      assertThat(escalation.attempts())
          .containsExactly(
              new Attempt(
                  MINI,
                  new Outcome.Rejected(
                      MINI, rejectedUsage, "low confidence: the model is not sure")),
              new Attempt(STRONG, new Outcome.Accepted(STRONG, response.usage())));
      assertThat(escalation.accepted()).isTrue();
      assertThat(escalation.usage()).isEqualTo(rejectedUsage.plus(response.usage()));
      BigDecimal wasted = usd(MINI, rejectedUsage);
      assertThat(escalation.savings())
          .isInstanceOfSatisfying(
              Savings.Known.class,
              saved -> assertThat(saved.savedUsd()).isEqualByComparingTo(wasted.negate()));
    } finally {
      unsure.close();
    }
  }

  @Test
  void whenEveryAnswerIsRejectedTheStrongestOneIsReturnedUnaccepted() {
    CascadeChatModel cascade =
        cascade(RetryPolicy.DEFAULT)
            .check((request, response) -> ResponseCheck.Verdict.reject("no"))
            .build();

    ModelResponse response = cascade.chat(QUESTION);

    assertThat(response.modelId()).isEqualTo(STRONG);
    Escalation escalation = escalations.getFirst();
    assertThat(escalation.accepted()).isFalse();
    assertThat(escalation.servedBy()).contains(STRONG);
    assertThat(escalation.attempts())
        .extracting(a -> a.outcome().getClass().getSimpleName())
        .containsExactly("Rejected", "Rejected");
  }

  @Test
  void whenEveryModelFailsTheCallFailsWithEveryReason() {
    cheapServer.faultEveryRequest(new Fault.ServerError());
    strongServer.faultEveryRequest(new Fault.MalformedBody());
    CascadeChatModel cascade = cascade(RetryPolicy.NONE).build();

    assertThatThrownBy(() -> cascade.chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
              assertThat(failure.getMessage())
                  .startsWith("every model of the cascade failed: gave up on openai:gpt-4o-mini")
                  .contains("; openai:gpt-4o answered with a body that is not valid JSON");
              assertThat(failure.getSuppressed()).hasSize(1);
            });
    Escalation escalation = escalations.getFirst();
    assertThat(escalation.servedBy()).isEmpty();
    assertThat(escalation.savings())
        .isEqualTo(new Savings.Unknown("no model of the cascade answered"));
    assertThat(escalation.attempts())
        .extracting(a -> ((Outcome.Failed) a.outcome()).kind())
        .containsExactly(Kind.PROVIDER_ERROR, Kind.MALFORMED_RESPONSE);
  }

  @Test
  void savingsAreUnknownWithoutAPriceForTheStrongestModel() {
    CascadeChatModel cascade =
        CascadeChatModel.builder()
            .model(resilient(cheapServer, "gpt-4o-mini", "fake-cheap", RetryPolicy.DEFAULT))
            .model(resilient(strongServer, "in-house-70b", "fake-strong", RetryPolicy.DEFAULT))
            .prices(prices)
            .clock(clock)
            .onEscalation(escalations::add)
            .build();

    cascade.chat(QUESTION);

    assertThat(cascade.id()).isEqualTo("cascade(openai:gpt-4o-mini,openai:in-house-70b)");
    assertThat(escalations.getFirst().savings())
        .isInstanceOfSatisfying(
            Savings.Unknown.class,
            unknown ->
                assertThat(unknown.reason())
                    .startsWith("no price for model 'openai:in-house-70b' in the price table"));
  }

  @Test
  void aCascadeNeedsAModel() {
    assertThatThrownBy(() -> CascadeChatModel.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("a model cascade needs at least one model, but has none");
  }
}
