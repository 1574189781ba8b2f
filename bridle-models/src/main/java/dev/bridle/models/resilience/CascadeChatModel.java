package dev.bridle.models.resilience;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.Cost;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.models.resilience.Escalation.Attempt;
import dev.bridle.models.resilience.Escalation.Outcome;
import dev.bridle.models.resilience.Escalation.Savings;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A model cascade: an ordered list of models, cheapest first, strongest last. A call goes to the
 * first model; the cascade moves to the next when a model fails ({@link ModelException} after its
 * own retries, or a {@link CircuitOpenException} when its provider is down) or when the {@link
 * ResponseCheck} rejects its answer (failed validation, a guard, low confidence).
 *
 * <p>The answer returned is the first accepted one, and its {@link ModelResponse#modelId()} names
 * the model that served it. When every model answers and every answer is rejected, the strongest
 * model's answer is returned (marked not accepted in the trace) and the caller's own validation
 * decides. When every model fails, the last failure's kind is thrown with every failure in the
 * message.
 *
 * <p>Every call, escalated or not, ends with an {@link Escalation} trace to the listeners before
 * {@code chat} returns or throws, on the calling thread: which models were tried and why they were
 * left, and the money saved against always calling the strongest model, priced with the {@link
 * PriceTable} (if one is given) on the clock's day (UTC).
 *
 * <p>Give each member model its own breaker name (see {@link ResilientChatModel.Builder#provider})
 * so that a provider being down moves calls to the next member rather than failing all of them.
 */
public final class CascadeChatModel implements ChatModel {

  private final List<ChatModel> models;
  private final ResponseCheck check;
  private final Optional<PriceTable> prices;
  private final Clock clock;
  private final List<Consumer<Escalation>> listeners;
  private final String id;

  private CascadeChatModel(Builder builder) {
    this.models = List.copyOf(builder.models);
    this.check = builder.check;
    this.prices = builder.prices;
    this.clock = builder.clock;
    this.listeners = List.copyOf(builder.listeners);
    this.id =
        "cascade(" + models.stream().map(ChatModel::id).collect(Collectors.joining(",")) + ")";
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ModelResponse chat(ModelRequest request) {
    Objects.requireNonNull(request, "request");
    List<Attempt> attempts = new ArrayList<>(models.size());
    List<ModelException> failures = new ArrayList<>();
    ModelResponse rejected = null;
    for (ChatModel model : models) {
      ModelResponse response;
      try {
        response = model.chat(request);
      } catch (CircuitOpenException open) {
        attempts.add(
            new Attempt(model.id(), new Outcome.CircuitOpen(open.provider(), open.openUntil())));
        failures.add(open);
        continue;
      } catch (ModelException failure) {
        attempts.add(
            new Attempt(model.id(), new Outcome.Failed(failure.kind(), failure.getMessage())));
        failures.add(failure);
        continue;
      }
      switch (check.check(request, response)) {
        case ResponseCheck.Verdict.Accept accept -> {
          attempts.add(
              new Attempt(model.id(), new Outcome.Accepted(response.modelId(), response.usage())));
          report(attempts, response, true);
          return response;
        }
        case ResponseCheck.Verdict.Reject reject -> {
          attempts.add(
              new Attempt(
                  model.id(),
                  new Outcome.Rejected(response.modelId(), response.usage(), reject.reason())));
          rejected = response;
        }
      }
    }
    if (rejected != null) {
      report(attempts, rejected, false);
      return rejected;
    }
    listeners.forEach(
        listener ->
            listener.accept(
                new Escalation(
                    attempts,
                    Optional.empty(),
                    false,
                    new Savings.Unknown("no model of the cascade answered"))));
    throw allFailed(failures);
  }

  /** {@code cascade(first,second,...)} with the members' ids. */
  @Override
  public String id() {
    return id;
  }

  /** The members, cheapest first. */
  public List<ChatModel> models() {
    return models;
  }

  @Override
  public String toString() {
    return "CascadeChatModel[" + id + "]";
  }

  private void report(List<Attempt> attempts, ModelResponse served, boolean accepted) {
    Escalation escalation =
        new Escalation(
            attempts, Optional.of(served.modelId()), accepted, savings(attempts, served));
    listeners.forEach(listener -> listener.accept(escalation));
  }

  private Savings savings(List<Attempt> attempts, ModelResponse served) {
    if (prices.isEmpty()) {
      return new Savings.Unknown("no price table was given to the cascade");
    }
    PriceTable table = prices.get();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    String strongest = models.getLast().id();
    Cost wouldHaveCost = table.cost(strongest, served.usage(), today);
    if (wouldHaveCost instanceof Cost.Unknown unknown) {
      return new Savings.Unknown(unknown.reason());
    }
    BigDecimal spent = BigDecimal.ZERO;
    for (Attempt attempt : attempts) {
      Optional<String> servedBy =
          switch (attempt.outcome()) {
            case Outcome.Accepted a -> Optional.of(a.servedBy());
            case Outcome.Rejected r -> Optional.of(r.servedBy());
            case Outcome.Failed f -> Optional.empty();
            case Outcome.CircuitOpen o -> Optional.empty();
          };
      if (servedBy.isEmpty()) {
        continue;
      }
      Cost cost = table.cost(servedBy.get(), attempt.usage(), today);
      if (cost instanceof Cost.Unknown unknown) {
        return new Savings.Unknown(unknown.reason());
      }
      spent = spent.add(cost.usd().orElseThrow());
    }
    BigDecimal strongestUsd = wouldHaveCost.usd().orElseThrow();
    return new Savings.Known(
        spent, strongestUsd, strongestUsd.subtract(spent).stripTrailingZeros());
  }

  private static ModelException allFailed(List<ModelException> failures) {
    ModelException last = failures.getLast();
    String each =
        failures.stream().map(ModelException::getMessage).collect(Collectors.joining("; "));
    ModelException summary =
        new ModelException(
            last.kind(),
            "every model of the cascade failed: " + each,
            last.retryAfter().orElse(null),
            last);
    failures.subList(0, failures.size() - 1).forEach(summary::addSuppressed);
    return summary;
  }

  /** Configures a {@link CascadeChatModel}. */
  public static final class Builder {
    private final List<ChatModel> models = new ArrayList<>();
    private ResponseCheck check = ResponseCheck.acceptAll();
    private Optional<PriceTable> prices = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private final List<Consumer<Escalation>> listeners = new ArrayList<>();

    private Builder() {}

    /** Adds the next model, stronger than those before it. */
    public Builder model(ChatModel model) {
      models.add(Objects.requireNonNull(model, "model"));
      return this;
    }

    /** Which answers to keep; default {@link ResponseCheck#acceptAll()}. */
    public Builder check(ResponseCheck check) {
      this.check = Objects.requireNonNull(check, "check");
      return this;
    }

    /** Prices the savings of each call; without a table, savings are unknown. */
    public Builder prices(PriceTable prices) {
      this.prices = Optional.of(Objects.requireNonNull(prices, "prices"));
      return this;
    }

    /** The clock whose day (UTC) picks the prices; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Calls {@code listener} with the trace of every call. */
    public Builder onEscalation(Consumer<Escalation> listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public CascadeChatModel build() {
      if (models.isEmpty()) {
        throw new ConfigurationException("a model cascade needs at least one model, but has none");
      }
      return new CascadeChatModel(this);
    }
  }
}
