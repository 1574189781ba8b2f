package dev.bridle.models.resilience;

import dev.bridle.core.model.ModelException;
import dev.bridle.models.resilience.BreakerTransition.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One Resilience4j circuit breaker per provider, created on first use, all with one {@link
 * BreakerPolicy}. Give every {@link ResilientChatModel} of a process the same instance so that the
 * models of one provider share its breaker: when the provider is down, all of them fail fast.
 *
 * <p>The clock decides when an open breaker lets trial calls through, so tests move time instead of
 * waiting.
 */
public final class ProviderBreakers {

  private record Breaker(CircuitBreaker breaker, AtomicReference<Instant> openUntil) {}

  private final BreakerPolicy policy;
  private final Clock clock;
  private final CircuitBreakerConfig config;
  private final ConcurrentMap<String, Breaker> breakers = new ConcurrentHashMap<>();
  private final List<Consumer<BreakerTransition>> listeners = new CopyOnWriteArrayList<>();

  private ProviderBreakers(BreakerPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(policy.slidingWindowCalls())
            .minimumNumberOfCalls(policy.minimumCalls())
            .failureRateThreshold(policy.failureRatePercent())
            .waitDurationInOpenState(policy.openFor())
            .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .ignoreException(ProviderBreakers::callersFault)
            .writableStackTraceEnabled(false)
            .clock(clock)
            .build();
  }

  /** Breakers with {@link BreakerPolicy#DEFAULT} on the system clock. */
  public static ProviderBreakers create() {
    return create(BreakerPolicy.DEFAULT, Clock.systemUTC());
  }

  public static ProviderBreakers create(BreakerPolicy policy, Clock clock) {
    return new ProviderBreakers(policy, clock);
  }

  public BreakerPolicy policy() {
    return policy;
  }

  /** Calls {@code listener} on every state change of every provider's breaker. */
  public void onTransition(Consumer<BreakerTransition> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The state of {@code provider}'s breaker; {@code CLOSED} for a provider not called yet. */
  public State state(String provider) {
    Breaker breaker = breakers.get(provider);
    return breaker == null ? State.CLOSED : state(breaker.breaker().getState());
  }

  /** When {@code provider}'s open breaker lets a trial call through; empty unless it is open. */
  public Optional<Instant> openUntil(String provider) {
    Breaker breaker = breakers.get(provider);
    if (breaker == null || state(breaker.breaker().getState()) != State.OPEN) {
      return Optional.empty();
    }
    return Optional.ofNullable(breaker.openUntil().get());
  }

  /**
   * Runs {@code call} through {@code provider}'s breaker: counts its outcome, or throws a {@link
   * CircuitOpenException} without running it.
   */
  <T> T call(String provider, String modelId, Supplier<T> call) {
    Breaker breaker = breakers.computeIfAbsent(provider, this::newBreaker);
    CircuitBreaker circuit = breaker.breaker();
    if (!circuit.tryAcquirePermission()) {
      throw refused(provider, modelId, breaker);
    }
    long start = circuit.getCurrentTimestamp();
    try {
      T result = call.get();
      circuit.onSuccess(circuit.getCurrentTimestamp() - start, circuit.getTimestampUnit());
      return result;
    } catch (RuntimeException | Error failure) {
      circuit.onError(circuit.getCurrentTimestamp() - start, circuit.getTimestampUnit(), failure);
      throw failure;
    }
  }

  private CircuitOpenException refused(String provider, String modelId, Breaker breaker) {
    CircuitBreaker circuit = breaker.breaker();
    Instant until = breaker.openUntil().get();
    if (state(circuit.getState()) == State.OPEN && until != null) {
      Duration left = Duration.between(clock.instant(), until);
      return new CircuitOpenException(
          provider,
          "circuit open for provider "
              + provider
              + " until "
              + until
              + "; "
              + modelId
              + " was not called",
          until,
          left.isNegative() ? Duration.ZERO : left);
    }
    return new CircuitOpenException(
        provider,
        "circuit half-open for provider "
            + provider
            + " and its "
            + policy.halfOpenCalls()
            + " trial calls are under way; "
            + modelId
            + " was not called",
        null,
        null);
  }

  private Breaker newBreaker(String provider) {
    CircuitBreaker circuit = CircuitBreaker.of(provider, config);
    Breaker breaker = new Breaker(circuit, new AtomicReference<>());
    circuit
        .getEventPublisher()
        .onStateTransition(
            event -> {
              Instant now = clock.instant();
              State to = state(event.getStateTransition().getToState());
              if (to == State.OPEN) {
                breaker.openUntil().set(now.plus(policy.openFor()));
              }
              BreakerTransition transition =
                  new BreakerTransition(
                      provider, state(event.getStateTransition().getFromState()), to, now);
              listeners.forEach(listener -> listener.accept(transition));
            });
    return breaker;
  }

  /** A refused request or refused credentials say nothing about the provider's health. */
  private static boolean callersFault(Throwable failure) {
    return failure instanceof ModelException model
        && (model.kind() == ModelException.Kind.INVALID_REQUEST
            || model.kind() == ModelException.Kind.AUTHENTICATION);
  }

  private static State state(CircuitBreaker.State state) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> State.OPEN;
      case HALF_OPEN -> State.HALF_OPEN;
      case CLOSED, DISABLED, METRICS_ONLY -> State.CLOSED;
    };
  }
}
