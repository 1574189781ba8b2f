package dev.bridle.models.resilience;

import static dev.bridle.models.resilience.OpenAiOverFake.QUESTION;
import static dev.bridle.models.resilience.OpenAiOverFake.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelException.Kind;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.models.ChatModels;
import dev.bridle.models.resilience.BreakerTransition.State;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, timeouts and the circuit breaker around the real LangChain4j OpenAI adapter, over real
 * HTTP against the fake server. Waits are recorded and move a test clock instead of sleeping.
 */
class ResilientChatModelTest {

  private static final String MINI = "openai:gpt-4o-mini";

  private final TestClock clock = new TestClock("2026-11-22T10:00:00Z");
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final List<RetryScheduled> retries = new ArrayList<>();
  private final List<BreakerTransition> transitions = new ArrayList<>();
  private FakeOpenAiServer server;
  private ProviderBreakers breakers;

  @BeforeEach
  void start() {
    server = FakeOpenAiServer.builder().build().start();
    breakers =
        ProviderBreakers.create(
            BreakerPolicy.DEFAULT
                .withSlidingWindow(4, 4)
                .withOpenFor(Duration.ofSeconds(30))
                .withHalfOpenCalls(2),
            clock);
    breakers.onTransition(transitions::add);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ResilientChatModel.Builder resilient(ChatModel delegate) {
    return ResilientChatModel.builder(delegate, breakers)
        .clock(clock)
        .sleeper(sleeper)
        .onRetry(retries::add);
  }

  private ResilientChatModel resilient(RetryPolicy policy) {
    return resilient(model(server, "gpt-4o-mini")).retry(policy).build();
  }

  @Test
  void aRateLimitStormWaitsExactlyWhatRetryAfterAsks() {
    server.enqueueFault(Fault.rateLimited(Duration.ofSeconds(2)));
    server.enqueueFault(Fault.rateLimited(Duration.ofSeconds(1)));

    ModelResponse response = resilient(RetryPolicy.DEFAULT).chat(QUESTION);

    assertThat(response.message().text()).isEqualTo("done");
    assertThat(response.modelId()).isEqualTo(MINI);
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(retries)
        .containsExactly(
            new RetryScheduled(
                MINI,
                "openai",
                1,
                Kind.RATE_LIMITED,
                Duration.ofSeconds(2),
                Optional.of(Duration.ofSeconds(2))),
            new RetryScheduled(
                MINI,
                "openai",
                2,
                Kind.RATE_LIMITED,
                Duration.ofSeconds(1),
                Optional.of(Duration.ofSeconds(1))));
  }

  @Test
  void aStormLongerThanTheAttemptsEndsWithTheRateLimitAndTheAttemptCount() {
    server.faultEveryRequest(Fault.rateLimited(Duration.ofSeconds(1)));

    assertThatThrownBy(() -> resilient(RetryPolicy.DEFAULT).chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
              assertThat(failure.retryAfter()).contains(Duration.ofSeconds(1));
              assertThat(failure.getMessage())
                  .startsWith(
                      "gave up on openai:gpt-4o-mini after 3 attempts: openai:gpt-4o-mini was rate"
                          + " limited by the provider, retry after PT1S (HTTP 429)");
            });
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void aRetryAfterLongerThanTheMaximumBackoffEndsTheRetriesAtOnce() {
    server.enqueueFault(Fault.rateLimited(Duration.ofMinutes(1)));

    assertThatThrownBy(() -> resilient(RetryPolicy.DEFAULT).chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
              assertThat(failure.retryAfter()).contains(Duration.ofMinutes(1));
              assertThat(failure.getMessage())
                  .startsWith(
                      "gave up on openai:gpt-4o-mini after 1 attempt: the provider asked to wait"
                          + " PT1M, longer than max-backoff PT30S;");
            });
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void serverErrorsBackOffExponentiallyUpToTheMaximum() {
    for (int i = 0; i < 3; i++) {
      server.enqueueFault(new Fault.ServerError());
    }
    RetryPolicy steep =
        RetryPolicy.DEFAULT
            .withMaxAttempts(4)
            .withMultiplier(10)
            .withJitter(0)
            .withMaxBackoff(Duration.ofSeconds(2));

    ModelResponse response = resilient(steep).chat(QUESTION);

    assertThat(response.message().text()).isEqualTo("done");
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(retries).extracting(RetryScheduled::kind).containsOnly(Kind.PROVIDER_ERROR);
    assertThat(retries).extracting(RetryScheduled::retryAfter).containsOnly(Optional.empty());
  }

  @Test
  void backoffJitterMovesEachWaitByUpToHalfOfIt() {
    breakers = ProviderBreakers.create(BreakerPolicy.DEFAULT.withFailureRatePercent(100), clock);
    for (int round = 0; round < 5; round++) {
      server.enqueueFault(new Fault.ServerError());
      server.enqueueFault(new Fault.ServerError());
      resilient(RetryPolicy.DEFAULT).chat(QUESTION);
    }

    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(10);
    for (int i = 0; i < waits.size(); i += 2) {
      assertThat(waits.get(i).toMillis()).isBetween(250L, 751L);
      assertThat(waits.get(i + 1).toMillis()).isBetween(500L, 1501L);
    }
    assertThat(waits.stream().distinct().count()).as("jitter spreads the waits").isGreaterThan(2);
  }

  @Test
  void malformedAnswersAndRefusedRequestsAreNotRetried() {
    server.enqueueFault(new Fault.MalformedBody());
    ModelSpec wrongPath =
        ModelSpec.of("openai", "gpt-4o-mini").withBaseUrl(server.baseUrl() + "/wrong");
    ResilientChatModel refused =
        resilient(ChatModels.create(wrongPath, Map.of())).retry(RetryPolicy.DEFAULT).build();

    assertThatThrownBy(() -> resilient(RetryPolicy.DEFAULT).chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
              assertThat(failure.getMessage())
                  .startsWith("openai:gpt-4o-mini answered with a body");
            });
    assertThatThrownBy(() -> refused.chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> assertThat(failure.kind()).isEqualTo(Kind.INVALID_REQUEST));
    assertThat(server.requestCount())
        .as("the refused request never reached the completions path")
        .isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void anAdapterTimeoutIsRetried() {
    server.enqueueFault(new Fault.Hang(Duration.ofSeconds(10)));
    ResilientChatModel model =
        resilient(model(server, "gpt-4o-mini", Duration.ofMillis(300)))
            .retry(RetryPolicy.DEFAULT)
            .build();

    ModelResponse response = model.chat(QUESTION);

    assertThat(response.message().text()).isEqualTo("done");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(retries).extracting(RetryScheduled::kind).containsExactly(Kind.TIMEOUT);
  }

  @Test
  void theAttemptTimeoutBoundsAnAttemptWhateverTheAdapterDoes() {
    server.enqueueFault(new Fault.Hang(Duration.ofSeconds(10)));
    List<ModelException> seen = new ArrayList<>();
    ResilientChatModel model =
        resilient(model(server, "gpt-4o-mini", Duration.ofSeconds(30)))
            .retry(RetryPolicy.DEFAULT)
            .attemptTimeout(Duration.ofMillis(300))
            .build();
    long start = System.nanoTime();

    ModelResponse response = model.chat(QUESTION);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(response.message().text()).isEqualTo("done");
    assertThat(retries).extracting(RetryScheduled::kind).containsExactly(Kind.TIMEOUT);
    server.enqueueFault(new Fault.Hang(Duration.ofSeconds(10)));
    ResilientChatModel once =
        resilient(model(server, "gpt-4o-mini", Duration.ofSeconds(30)))
            .retry(RetryPolicy.NONE)
            .attemptTimeout(Duration.ofMillis(200))
            .build();
    try {
      once.chat(QUESTION);
    } catch (ModelException e) {
      seen.add(e);
    }
    assertThat(seen)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "gave up on openai:gpt-4o-mini after 1 attempt: openai:gpt-4o-mini gave no"
                          + " answer within the attempt timeout of PT0.2S");
            });
  }

  @Test
  void theCallDeadlineStopsARetryThatWouldStartAfterIt() {
    server.faultEveryRequest(Fault.rateLimited(Duration.ofSeconds(1)));
    ResilientChatModel model =
        resilient(model(server, "gpt-4o-mini"))
            .retry(RetryPolicy.DEFAULT.withMaxAttempts(5))
            .callDeadline(Duration.ofMillis(1500))
            .build();

    assertThatThrownBy(() -> model.chat(QUESTION))
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
              assertThat(failure.getMessage())
                  .startsWith(
                      "gave up on openai:gpt-4o-mini after 2 attempts: the next try, in PT1S,"
                          + " would start after the call deadline of PT1.5S; last failure:"
                          + " openai:gpt-4o-mini was rate limited");
            });
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void theBreakerOpensFailsFastThenHalfOpensAndClosesWhenTheProviderIsBack() {
    ResilientChatModel model = resilient(RetryPolicy.NONE);
    server.faultEveryRequest(new Fault.ServerError());
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> model.chat(QUESTION))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR));
    }
    Instant openedAt = clock.instant();

    assertThat(breakers.state("openai")).isEqualTo(State.OPEN);
    assertThat(breakers.openUntil("openai")).contains(openedAt.plusSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> model.chat(QUESTION))
        .isInstanceOfSatisfying(
            CircuitOpenException.class,
            open -> {
              assertThat(open.getMessage())
                  .isEqualTo(
                      "circuit open for provider openai until 2026-11-22T10:00:30Z;"
                          + " openai:gpt-4o-mini was not called");
              assertThat(open.kind()).isEqualTo(Kind.PROVIDER_ERROR);
              assertThat(open.retryAfter()).contains(Duration.ofSeconds(20));
              assertThat(open.provider()).isEqualTo("openai");
            });
    assertThat(server.requestCount()).as("an open breaker does not call").isEqualTo(4);

    server.clearFaults();
    clock.advance(Duration.ofSeconds(21));
    assertThat(model.chat(QUESTION).message().text()).isEqualTo("done");
    assertThat(breakers.state("openai")).isEqualTo(State.HALF_OPEN);
    assertThat(model.chat(QUESTION).message().text()).isEqualTo("done");

    assertThat(breakers.state("openai")).isEqualTo(State.CLOSED);
    assertThat(transitions)
        .extracting(t -> t.from() + "->" + t.to())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    assertThat(transitions.get(1).at()).isEqualTo(openedAt.plusSeconds(31));
  }

  @Test
  void aProviderStillDownWhenHalfOpenOpensTheBreakerAgain() {
    ResilientChatModel model = resilient(RetryPolicy.NONE);
    server.faultEveryRequest(new Fault.ServerError());
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> model.chat(QUESTION)).isInstanceOf(ModelException.class);
    }
    clock.advance(Duration.ofSeconds(31));

    assertThatThrownBy(() -> model.chat(QUESTION))
        .isNotInstanceOf(CircuitOpenException.class)
        .isInstanceOf(ModelException.class);
    assertThatThrownBy(() -> model.chat(QUESTION))
        .isNotInstanceOf(CircuitOpenException.class)
        .isInstanceOf(ModelException.class);

    assertThat(breakers.state("openai")).isEqualTo(State.OPEN);
    assertThatThrownBy(() -> model.chat(QUESTION)).isInstanceOf(CircuitOpenException.class);
    assertThat(server.requestCount()).isEqualTo(6);
    assertThat(transitions)
        .extracting(t -> t.from() + "->" + t.to())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
  }

  @Test
  void aFailureThatOpensTheBreakerEndsTheRetries() {
    server.faultEveryRequest(new Fault.ServerError());
    ResilientChatModel model = resilient(RetryPolicy.DEFAULT.withMaxAttempts(10));

    assertThatThrownBy(() -> model.chat(QUESTION))
        .isNotInstanceOf(CircuitOpenException.class)
        .isInstanceOfSatisfying(
            ModelException.class,
            failure -> {
              assertThat(failure.kind()).isEqualTo(Kind.PROVIDER_ERROR);
              assertThat(failure.getMessage())
                  .startsWith(
                      "gave up on openai:gpt-4o-mini after 4 attempts: the circuit for provider"
                          + " openai opened until ");
            });

    assertThat(server.requestCount()).as("the fourth failure opened the breaker").isEqualTo(4);
    assertThat(sleeper.waits()).hasSize(3);
    assertThatThrownBy(() -> model.chat(QUESTION)).isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void refusedRequestsDoNotCountOnTheBreaker() {
    ModelSpec wrongPath =
        ModelSpec.of("openai", "gpt-4o-mini").withBaseUrl(server.baseUrl() + "/wrong");
    ResilientChatModel refused =
        resilient(ChatModels.create(wrongPath, Map.of())).retry(RetryPolicy.NONE).build();

    for (int i = 0; i < 6; i++) {
      assertThatThrownBy(() -> refused.chat(QUESTION))
          .isInstanceOfSatisfying(
              ModelException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST));
    }

    assertThat(breakers.state("openai")).isEqualTo(State.CLOSED);
    assertThat(transitions).isEmpty();
  }

  @Test
  void theProviderDefaultsToThePartOfTheModelIdBeforeTheColon() {
    ResilientChatModel model = resilient(RetryPolicy.NONE);
    ResilientChatModel named =
        resilient(model(server, "gpt-4o-mini")).provider("openai-eu").build();

    assertThat(model.provider()).isEqualTo("openai");
    assertThat(model.id()).isEqualTo(MINI);
    assertThat(named.provider()).isEqualTo("openai-eu");
  }

  @Test
  void policiesAreValidatedWithTheirConfigNames() {
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxAttempts(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-attempts must be between 1 and 10, but was 0");
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.withJitter(1.0))
        .hasMessage("jitter must be at least 0 and below 1, but was 1.0");
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMultiplier(0.5))
        .hasMessage("multiplier must be at least 1, but was 0.5");
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxBackoff(Duration.ofMillis(100)))
        .hasMessage("max-backoff must be at least initial-backoff (PT0.5S), but was PT0.1S");
    assertThatThrownBy(() -> BreakerPolicy.DEFAULT.withSlidingWindow(5, 10))
        .hasMessage("minimum-calls must be between 1 and sliding-window-calls (5), but was 10");
    assertThatThrownBy(() -> BreakerPolicy.DEFAULT.withFailureRatePercent(0))
        .hasMessage("failure-rate-percent must be between 1 and 100, but was 0");
    assertThatThrownBy(() -> resilient(model(server, "gpt-4o-mini")).attemptTimeout(Duration.ZERO))
        .hasMessage("attempt-timeout must be positive, but was PT0S");
  }
}
