package dev.bridle.models.resilience;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelException.Kind;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link ChatModel} that retries, times out and fails fast: the resilience layer in front of a
 * provider adapter (whose own retries are off).
 *
 * <ul>
 *   <li><b>Retries</b> (Resilience4j {@code Retry}, {@link RetryPolicy}): rate limits, provider
 *       errors and timeouts are retried with exponential backoff and jitter, or after exactly the
 *       provider's {@code Retry-After}; malformed answers, refused requests and refused credentials
 *       are not. The wait goes through an injectable {@link Sleeper}.
 *   <li><b>Circuit breaker</b> ({@link ProviderBreakers}): every attempt counts on the provider's
 *       breaker; while it is open the call fails at once with a {@link CircuitOpenException}, and a
 *       failure that opens it ends the retries.
 *   <li><b>Timeouts</b>: the adapter's own per-request timeout ({@code ModelSpec.timeout}) applies
 *       to each attempt; an optional {@code attempt-timeout} bounds an attempt even when the
 *       adapter does not return, and an optional {@code call-deadline} bounds the whole call, waits
 *       included: a retry that would start after it is not made.
 * </ul>
 *
 * <p>When retries run out the last failure's kind is kept and its message says how many attempts
 * were made. Exceptions other than {@link ModelException} (bugs) pass through untouched.
 *
 * <pre>{@code
 * ProviderBreakers breakers = ProviderBreakers.create();        // one per process
 * ChatModel model = ResilientChatModel.builder(ChatModels.create(spec), breakers)
 *     .retry(RetryPolicy.DEFAULT)
 *     .callDeadline(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 */
public final class ResilientChatModel implements ChatModel {

  private final ChatModel delegate;
  private final ProviderBreakers breakers;
  private final String provider;
  private final RetryPolicy policy;
  private final Optional<Duration> attemptTimeout;
  private final Optional<Duration> callDeadline;
  private final Clock clock;
  private final Sleeper sleeper;
  private final List<Consumer<RetryScheduled>> retryListeners;
  private final IntervalFunction backoff;
  private final Retry retry;

  private ResilientChatModel(Builder builder) {
    this.delegate = builder.delegate;
    this.breakers = builder.breakers;
    this.provider = builder.provider.orElseGet(() -> providerOf(builder.delegate.id()));
    this.policy = builder.policy;
    this.attemptTimeout = builder.attemptTimeout;
    this.callDeadline = builder.callDeadline;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.retryListeners = List.copyOf(builder.retryListeners);
    this.backoff =
        IntervalFunction.ofExponentialRandomBackoff(
            policy.initialBackoff(), policy.multiplier(), policy.jitter(), policy.maxBackoff());
    this.retry =
        Retry.of(
            "bridle-" + delegate.id(),
            RetryConfig.<ModelResponse>custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(ResilientChatModel::retryable)
                .intervalBiFunction(this::waitMillis)
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build());
  }

  /**
   * A builder for a resilient {@code delegate} whose attempts count on {@code breakers}' breaker of
   * its provider.
   */
  public static Builder builder(ChatModel delegate, ProviderBreakers breakers) {
    return new Builder(delegate, breakers);
  }

  @Override
  public ModelResponse chat(ModelRequest request) {
    Objects.requireNonNull(request, "request");
    Retry.AsyncContext<ModelResponse> context = retry.asyncContext();
    Optional<Instant> deadline = callDeadline.map(limit -> clock.instant().plus(limit));
    for (int attempt = 1; ; attempt++) {
      ModelException failure;
      try {
        ModelResponse response = breakers.call(provider, id(), () -> attempt(request));
        context.onComplete();
        return response;
      } catch (CircuitOpenException open) {
        throw open;
      } catch (ModelException e) {
        failure = e;
      }
      long waitMillis = context.onError(failure);
      if (waitMillis < 0) {
        throw givingUp(failure, attempt);
      }
      Optional<Instant> openUntil = breakers.openUntil(provider);
      if (openUntil.isPresent()) {
        throw new ModelException(
            failure.kind(),
            "gave up on "
                + id()
                + " after "
                + attempts(attempt)
                + ": the circuit for provider "
                + provider
                + " opened until "
                + openUntil.get()
                + "; last failure: "
                + failure.getMessage(),
            failure.retryAfter().orElse(null),
            failure);
      }
      Duration wait = Duration.ofMillis(waitMillis);
      if (deadline.isPresent() && clock.instant().plus(wait).isAfter(deadline.get())) {
        throw new ModelException(
            Kind.TIMEOUT,
            "gave up on "
                + id()
                + " after "
                + attempts(attempt)
                + ": the next try, in "
                + wait
                + ", would start after the call deadline of "
                + callDeadline.get()
                + "; last failure: "
                + failure.getMessage(),
            failure);
      }
      RetryScheduled scheduled =
          new RetryScheduled(id(), provider, attempt, failure.kind(), wait, failure.retryAfter());
      retryListeners.forEach(listener -> listener.accept(scheduled));
      pause(wait, failure);
    }
  }

  /** The delegate's id: the resilience layer does not change which model answers. */
  @Override
  public String id() {
    return delegate.id();
  }

  /** The provider whose breaker this model's calls count on. */
  public String provider() {
    return provider;
  }

  @Override
  public String toString() {
    return "ResilientChatModel[" + id() + ", provider " + provider + "]";
  }

  private ModelResponse attempt(ModelRequest request) {
    if (attemptTimeout.isEmpty()) {
      return delegate.chat(request);
    }
    Duration timeout = attemptTimeout.get();
    FutureTask<ModelResponse> task = new FutureTask<>(() -> delegate.chat(request));
    Thread.ofVirtual().name("bridle-model-call " + id()).start(task);
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new ModelException(
          Kind.TIMEOUT, id() + " gave no answer within the attempt timeout of " + timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new ModelException(Kind.PROVIDER_ERROR, id() + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException(
          Kind.PROVIDER_ERROR, id() + " call was interrupted while waiting", e);
    }
  }

  /** Retry-After when the provider sent one (or -1, stop, when it is too long), else backoff. */
  private Long waitMillis(Integer attempt, Either<Throwable, ModelResponse> outcome) {
    if (outcome.isLeft() && outcome.getLeft() instanceof ModelException failure) {
      Optional<Duration> asked = failure.retryAfter();
      if (asked.isPresent()) {
        return asked.get().compareTo(policy.maxBackoff()) > 0 ? -1L : asked.get().toMillis();
      }
    }
    return backoff.apply(attempt);
  }

  private ModelException givingUp(ModelException failure, int attempt) {
    if (!retryable(failure)) {
      return failure;
    }
    if (attempt >= policy.maxAttempts()) {
      return new ModelException(
          failure.kind(),
          "gave up on " + id() + " after " + attempts(attempt) + ": " + failure.getMessage(),
          failure.retryAfter().orElse(null),
          failure);
    }
    Duration asked = failure.retryAfter().orElse(Duration.ZERO);
    return new ModelException(
        failure.kind(),
        "gave up on "
            + id()
            + " after "
            + attempts(attempt)
            + ": the provider asked to wait "
            + asked
            + ", longer than max-backoff "
            + policy.maxBackoff()
            + "; "
            + failure.getMessage(),
        asked,
        failure);
  }

  private void pause(Duration wait, ModelException failure) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ModelException interrupted =
          new ModelException(
              failure.kind(),
              id()
                  + " was interrupted while waiting to retry; last failure: "
                  + failure.getMessage(),
              e);
      interrupted.addSuppressed(failure);
      throw interrupted;
    }
  }

  private static boolean retryable(Throwable failure) {
    return failure instanceof ModelException model
        && !(failure instanceof CircuitOpenException)
        && model.retriable();
  }

  private static String attempts(int count) {
    return count == 1 ? "1 attempt" : count + " attempts";
  }

  private static String providerOf(String modelId) {
    int colon = modelId.indexOf(':');
    return colon > 0 ? modelId.substring(0, colon) : modelId;
  }

  /** Configures a {@link ResilientChatModel}; everything but the delegate has a default. */
  public static final class Builder {
    private final ChatModel delegate;
    private final ProviderBreakers breakers;
    private Optional<String> provider = Optional.empty();
    private RetryPolicy policy = RetryPolicy.DEFAULT;
    private Optional<Duration> attemptTimeout = Optional.empty();
    private Optional<Duration> callDeadline = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private final List<Consumer<RetryScheduled>> retryListeners = new ArrayList<>();

    private Builder(ChatModel delegate, ProviderBreakers breakers) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.breakers = Objects.requireNonNull(breakers, "breakers");
    }

    /**
     * The name of the breaker the calls count on; default the part of the model id before the colon
     * ({@code openai} for {@code openai:gpt-4o}). Name two endpoints of one provider (two base
     * URLs, two regions) differently so that one being down does not stop the other.
     */
    public Builder provider(String name) {
      Objects.requireNonNull(name, "provider");
      if (name.isBlank()) {
        throw new ConfigurationException("provider must not be blank");
      }
      this.provider = Optional.of(name);
      return this;
    }

    /** Default {@link RetryPolicy#DEFAULT}. */
    public Builder retry(RetryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The longest one attempt may take, even if the adapter does not return; default none. */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = Optional.of(positive(timeout, "attempt-timeout"));
      return this;
    }

    /** The longest a whole call may take, retries and waits included; default none. */
    public Builder callDeadline(Duration deadline) {
      this.callDeadline = Optional.of(positive(deadline, "call-deadline"));
      return this;
    }

    /** The clock of the call deadline; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How to wait between attempts; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Calls {@code listener} before every wait for a retry. */
    public Builder onRetry(Consumer<RetryScheduled> listener) {
      retryListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public ResilientChatModel build() {
      return new ResilientChatModel(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new ConfigurationException(name + " must be positive, but was " + value);
      }
      return value;
    }
  }
}
