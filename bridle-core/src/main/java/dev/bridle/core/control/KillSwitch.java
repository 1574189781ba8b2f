package dev.bridle.core.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kill switches (DESIGN §3.5): global, per workflow and per agent ({@code
 * agent:<workflow>@<version>}). Durable: in the database, so every node sees them. The run loop
 * checks before every model call and every tool call; a killed run parks (status KILLED) and can be
 * resumed after a revive, or cancelled. Tool credentials handed out through Bridle refuse while a
 * switch covers the agent.
 *
 * <p>Implementations: {@link InMemoryKillSwitch}, and JDBC in {@code bridle-store}; {@link
 * CachedKillSwitch} bounds how often the database is asked.
 */
public interface KillSwitch {

  /** What a switch covers. */
  enum Scope {
    GLOBAL,
    WORKFLOW,
    AGENT
  }

  /**
   * One switch that is on.
   *
   * @param target the workflow name or agent identity; {@code *} for {@link Scope#GLOBAL}
   */
  record Kill(Scope scope, String target, String by, String reason, Instant at) {
    public Kill {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(at, "at");
    }

    /** Whether this switch stops {@code agent} of {@code workflow}. */
    public boolean covers(String workflow, String agent) {
      return switch (scope) {
        case GLOBAL -> true;
        case WORKFLOW -> target.equals(workflow);
        case AGENT -> target.equals(agent);
      };
    }

    /** One line for logs and for the model-free outcome message. */
    public String describe() {
      String what =
          switch (scope) {
            case GLOBAL -> "the global kill switch";
            case WORKFLOW -> "the kill switch of workflow " + target;
            case AGENT -> "the kill switch of " + target;
          };
      return what + " is on (by " + by + (reason.isBlank() ? "" : ": " + reason) + ")";
    }
  }

  /** Turns a switch on; turning on one that is on already updates who and why. */
  void kill(Scope scope, String target, String by, String reason);

  /**
   * Turns a switch off.
   *
   * @return whether it was on
   */
  boolean revive(Scope scope, String target, String by);

  /** The switches that are on. */
  List<Kill> active();

  /** The first switch that stops {@code agent} of {@code workflow}, if any. */
  default Optional<Kill> check(String workflow, String agent) {
    for (Kill kill : active()) {
      if (kill.covers(workflow, agent)) {
        return Optional.of(kill);
      }
    }
    return Optional.empty();
  }

  /** No switch, ever: for agents that run without a control plane. */
  KillSwitch NONE =
      new KillSwitch() {
        @Override
        public void kill(Scope scope, String target, String by, String reason) {
          throw new UnsupportedOperationException(
              "this agent has no kill switch store; configure one to use kill switches");
        }

        @Override
        public boolean revive(Scope scope, String target, String by) {
          return false;
        }

        @Override
        public List<Kill> active() {
          return List.of();
        }
      };

  /** The target for {@code scope}: {@code *} for global, else {@code target}, which must be set. */
  static String normalTarget(Scope scope, String target) {
    if (scope == Scope.GLOBAL) {
      return "*";
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(scope + " kill switch needs a target");
    }
    return target;
  }
}
