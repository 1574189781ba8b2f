package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Guards in order. {@link #check} runs the guards of the subject's stage one after another: a
 * {@link GuardResult.Redact} hands its text to the next guard, a {@link GuardResult.Flag} is
 * recorded and the chain goes on, and the first {@link GuardResult.Block}, {@link
 * GuardResult.Escalate} or {@link GuardResult.Reask} stops it. Immutable and thread-safe.
 *
 * <p>Guards fail closed: a guard that throws, or returns {@code null}, blocks with a reason naming
 * it. At {@link GuardStage#INPUT} there is no model to ask yet, so a reask there blocks instead.
 */
public final class GuardChain {

  /** Default bound on reasks per run, enforced by the run loop. */
  public static final int DEFAULT_MAX_REASKS = 2;

  /** Largest accepted {@code max-reasks}. */
  public static final int MAX_REASKS_LIMIT = 10;

  private static final GuardChain NONE = builder().build();

  private final List<Guard> guards;
  private final Map<GuardStage, List<Guard>> byStage;
  private final int maxReasks;

  private GuardChain(Builder builder) {
    this.guards = List.copyOf(builder.guards);
    this.maxReasks = builder.maxReasks;
    Map<GuardStage, List<Guard>> stages = new EnumMap<>(GuardStage.class);
    for (GuardStage stage : GuardStage.values()) {
      stages.put(stage, guards.stream().filter(g -> g.stages().contains(stage)).toList());
    }
    this.byStage = stages;
  }

  /** A chain without guards: every subject proceeds unchanged. */
  public static GuardChain none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The guards in chain order. */
  public List<Guard> guards() {
    return guards;
  }

  /** How many times the run loop may reask the model after guard feedback before giving up. */
  public int maxReasks() {
    return maxReasks;
  }

  /** True when at least one guard looks at {@code stage}; lets the loop skip work. */
  public boolean covers(GuardStage stage) {
    return !byStage.get(stage).isEmpty();
  }

  /** Runs the guards of {@code subject}'s stage in order; see the class comment for semantics. */
  public ChainResult check(GuardSubject subject) {
    Objects.requireNonNull(subject, "subject");
    List<Guard> applicable = byStage.get(subject.stage());
    if (applicable.isEmpty()) {
      return new ChainResult(subject.stage(), subject.text(), PROCEED, List.of());
    }
    List<GuardTrip> trips = new ArrayList<>(2);
    GuardSubject current = subject;
    for (Guard guard : applicable) {
      GuardResult result = run(guard, current);
      switch (result) {
        case GuardResult.Pass pass -> {}
        case GuardResult.Flag flag ->
            trips.add(trip(guard, current, GuardTrip.Kind.FLAG, flag.reason()));
        case GuardResult.Redact redact -> {
          trips.add(trip(guard, current, GuardTrip.Kind.REDACT, redact.findings()));
          current = current.withText(redact.text());
        }
        case GuardResult.Block block -> {
          trips.add(trip(guard, current, GuardTrip.Kind.BLOCK, block.reason()));
          return stop(
              current, new ChainResult.Outcome.Blocked(guard.name(), block.reason()), trips);
        }
        case GuardResult.Escalate escalate -> {
          trips.add(trip(guard, current, GuardTrip.Kind.ESCALATE, escalate.reason()));
          return stop(
              current, new ChainResult.Outcome.Escalated(guard.name(), escalate.reason()), trips);
        }
        case GuardResult.Reask reask -> {
          if (current.stage() == GuardStage.INPUT) {
            String reason = reask.feedback();
            trips.add(trip(guard, current, GuardTrip.Kind.BLOCK, reason));
            return stop(current, new ChainResult.Outcome.Blocked(guard.name(), reason), trips);
          }
          trips.add(trip(guard, current, GuardTrip.Kind.REASK, reask.feedback()));
          return stop(
              current, new ChainResult.Outcome.Reasked(guard.name(), reask.feedback()), trips);
        }
      }
    }
    return new ChainResult(subject.stage(), current.text(), PROCEED, trips);
  }

  private static final ChainResult.Outcome PROCEED = new ChainResult.Outcome.Proceed();

  private static GuardResult run(Guard guard, GuardSubject subject) {
    GuardResult result;
    try {
      result = guard.check(subject);
    } catch (RuntimeException | StackOverflowError e) {
      String message = e.getMessage() == null ? "" : ": " + Redactor.redact(e.getMessage(), 200);
      return GuardResult.block(
          "guard '"
              + guard.name()
              + "' failed on "
              + subject.describe()
              + " and fails closed ("
              + e.getClass().getSimpleName()
              + message
              + ")");
    }
    if (result == null) {
      return GuardResult.block("guard '" + guard.name() + "' returned no result and fails closed");
    }
    return result;
  }

  private static GuardTrip trip(
      Guard guard, GuardSubject subject, GuardTrip.Kind kind, String reason) {
    return new GuardTrip(guard.name(), subject.stage(), subject.toolName(), kind, reason);
  }

  private static ChainResult stop(
      GuardSubject subject, ChainResult.Outcome outcome, List<GuardTrip> trips) {
    return new ChainResult(subject.stage(), subject.text(), outcome, trips);
  }

  /** Builds a {@link GuardChain}; guard names must be unique. */
  public static final class Builder {
    private final List<Guard> guards = new ArrayList<>();
    private int maxReasks = DEFAULT_MAX_REASKS;

    private Builder() {}

    /** Appends a guard; guards run in the order they were added. */
    public Builder add(Guard guard) {
      guards.add(Objects.requireNonNull(guard, "guard"));
      return this;
    }

    /** Appends guards in order. */
    public Builder addAll(List<? extends Guard> more) {
      more.forEach(this::add);
      return this;
    }

    /** Reasks the run loop allows per run (default 2, 0 to 10); with 0 a reask ends the run. */
    public Builder maxReasks(int reasks) {
      this.maxReasks = reasks;
      return this;
    }

    public GuardChain build() {
      if (maxReasks < 0 || maxReasks > MAX_REASKS_LIMIT) {
        throw new ConfigurationException(
            "max-reasks must be between 0 and " + MAX_REASKS_LIMIT + ", but was " + maxReasks);
      }
      Set<String> names = new HashSet<>();
      for (Guard guard : guards) {
        String name = guard.name();
        if (name == null || name.isBlank()) {
          throw new ConfigurationException(
              "guard " + guard.getClass().getName() + " has no name; every guard needs one");
        }
        if (!names.add(name)) {
          throw new ConfigurationException(
              "two guards are named '"
                  + name
                  + "'; give each guard in a chain its own name (key 'name')");
        }
        Set<GuardStage> stages = guard.stages();
        if (stages == null || stages.isEmpty()) {
          throw new ConfigurationException("guard '" + name + "' looks at no stage");
        }
      }
      return new GuardChain(this);
    }
  }
}
