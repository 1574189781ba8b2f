package dev.bridle.observability;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.control.KillSwitch;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the gauges read when metrics are scraped: state that lives in the database or in other
 * components rather than in one run's journal. Every method is called on each scrape; keep them
 * cheap or cached.
 */
public interface ControlPlaneState {

  /** Calls waiting for a human in the approvals inbox, across all nodes. */
  long pendingApprovals();

  /** The kill switches that are on. */
  List<KillSwitch.Kill> activeKillSwitches();

  /**
   * The state of each model provider's circuit breaker: provider name to {@code CLOSED}, {@code
   * OPEN} or {@code HALF_OPEN}.
   */
  Map<String, String> circuitBreakers();

  /** Nothing pending, no switch on, no breaker: for an agent without a control plane. */
  ControlPlaneState NONE = builder().build();

  static Builder builder() {
    return new Builder();
  }

  /** Collects the suppliers; anything not given reads as zero or empty. */
  final class Builder {
    private LongSupplier pendingApprovals = () -> 0;
    private Supplier<List<KillSwitch.Kill>> killSwitches = List::of;
    private Supplier<Map<String, String>> breakers = Map::of;

    private Builder() {}

    public Builder pendingApprovals(LongSupplier pendingApprovals) {
      this.pendingApprovals = Objects.requireNonNull(pendingApprovals, "pendingApprovals");
      return this;
    }

    /** Counts the approvals inbox on every scrape. */
    public Builder approvals(Approvals approvals) {
      Objects.requireNonNull(approvals, "approvals");
      return pendingApprovals(() -> approvals.pending().size());
    }

    public Builder killSwitch(KillSwitch killSwitch) {
      Objects.requireNonNull(killSwitch, "killSwitch");
      this.killSwitches = killSwitch::active;
      return this;
    }

    /**
     * Breaker states by provider, e.g. {@code () -> Map.of("openai",
     * breakers.state("openai").name())} over {@code dev.bridle.models.resilience.ProviderBreakers}.
     */
    public Builder circuitBreakers(Supplier<Map<String, String>> breakers) {
      this.breakers = Objects.requireNonNull(breakers, "breakers");
      return this;
    }

    public ControlPlaneState build() {
      LongSupplier pending = pendingApprovals;
      Supplier<List<KillSwitch.Kill>> kills = killSwitches;
      Supplier<Map<String, String>> states = breakers;
      return new ControlPlaneState() {
        @Override
        public long pendingApprovals() {
          return pending.getAsLong();
        }

        @Override
        public List<KillSwitch.Kill> activeKillSwitches() {
          return List.copyOf(kills.get());
        }

        @Override
        public Map<String, String> circuitBreakers() {
          return Map.copyOf(states.get());
        }
      };
    }
  }
}
