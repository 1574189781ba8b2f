package dev.bridle.core.control;

import dev.bridle.core.guard.Guard;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The quality circuit breaker (DESIGN §5): when the rolling share of a workflow's failed runs,
 * guard trips and failed evaluations reaches a threshold, the breaker opens, and new tasks of that
 * workflow go to the human fallback queue instead of the agent until an operator closes it.
 *
 * <pre>{@code
 * QualityBreaker breaker = QualityBreaker.builder()
 *     .store(RunStores.qualityBreakers(store))             // or new InMemoryQualityBreakerStore()
 *     .settings("refunds", QualityBreakerSettings.DEFAULT.withFailureRate(0.3))
 *     .onTrip(status -> pager.page(status.describe()))
 *     .build();
 * GuardChain guards = breaker.appendTo(workflowGuards);    // open: the task escalates to a human
 * RunResult result = agent.run(task);
 * breaker.recordRun(store, result.runId());               // the run's outcome feeds the window
 * }</pre>
 *
 * <p><b>Fed by the journal.</b> {@link #recordRun} reads the ended run's events and turns them into
 * one {@link QualitySample}: the run's failure kind, or {@link QualitySignal#GUARD_TRIPPED} when it
 * answered after a guard blocked or escalated on the way, or {@link QualitySignal#PASSED}. An
 * evaluation harness reports through {@link #recordEvaluation}. Samples live in the {@link
 * QualityBreakerStore}, so the window is shared by every node.
 *
 * <p><b>Diverting.</b> While the breaker is open, {@link #admit} returns a {@link Diversion} with
 * the requester's message. {@link #guard()} is the same check as an input guard named {@value
 * #GUARD_NAME}: it escalates the task, so the run loop records {@code RunStarted} with the task (it
 * is kept and can be run again later), a {@code GuardTripped} and {@code RunFailed(ESCALATED)}, and
 * the run appears in the {@link FallbackQueue}. The model is never asked. Runs diverted this way
 * are not samples: they say nothing about the agent.
 *
 * <p>Thread-safe; one breaker serves every workflow of a node, each with its own settings.
 */
public final class QualityBreaker {

  /** The name of the breaker's input guard, and of the automatic actor in its log. */
  public static final String GUARD_NAME = "quality-breaker";

  /** Who opened a breaker that tripped on its own. */
  public static final String TRIPPED_BY = GUARD_NAME;

  private static final System.Logger LOG = System.getLogger(QualityBreaker.class.getName());

  /** Whether a breaker lets tasks through. */
  public enum State {
    /** Tasks go to the agent. */
    CLOSED,
    /** Tasks go to the human fallback queue until an operator closes it. */
    OPEN
  }

  /** What happened to a breaker, in its log. */
  public enum Action {
    /** The window reached the threshold and the breaker opened itself. */
    TRIP,
    /** An operator opened it. */
    OPEN,
    /** An operator closed it; the window started afresh. */
    CLOSE
  }

  /**
   * Where a workflow's breaker stands.
   *
   * @param changedBy who last opened or closed it ({@value #TRIPPED_BY} for a trip); {@code ""}
   *     while it never changed
   * @param reason why it last changed; {@code ""} when not given
   * @param changedAt when it last changed, or when it was first seen
   * @param windowStart samples at or before this time do not count: the last close
   * @param window the rolling window as last evaluated
   * @param rule the settings of the last evaluation in one line ({@link
   *     QualityBreakerSettings#describe()}); {@code ""} before the first
   */
  public record Status(
      String workflow,
      State state,
      String changedBy,
      String reason,
      Instant changedAt,
      Instant windowStart,
      QualityWindow window,
      String rule) {

    public Status {
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(changedBy, "changedBy");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(changedAt, "changedAt");
      Objects.requireNonNull(windowStart, "windowStart");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(rule, "rule");
    }

    /** The status of a breaker nothing was recorded for: closed, an empty window. */
    public static Status unknown(String workflow) {
      return new Status(
          workflow,
          State.CLOSED,
          "",
          "",
          Instant.EPOCH,
          Instant.EPOCH,
          QualityWindow.empty(Instant.EPOCH),
          "");
    }

    public boolean isOpen() {
      return state == State.OPEN;
    }

    /** One line for people: state, since when, by whom and why, and the window. */
    public String describe() {
      String head =
          "the quality breaker of workflow " + workflow + " is " + (isOpen() ? "open" : "closed");
      String change =
          changedBy.isEmpty()
              ? ""
              : " (since "
                  + changedAt
                  + ", by "
                  + changedBy
                  + (reason.isBlank() ? "" : ": " + reason)
                  + ")";
      return head + change + "; window: " + window.describe();
    }
  }

  /**
   * One trip, open or close.
   *
   * @param seq the order the actions were stored in, from 1
   * @param by who did it ({@value #TRIPPED_BY} for a trip)
   * @param reason why; {@code ""} when not given
   */
  public record LogEntry(
      long seq, Action action, String workflow, String by, String reason, Instant at) {
    public LogEntry {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A task that must not go to the agent now.
   *
   * @param message what the requester is told (the workflow's configured message)
   * @param status the open breaker: for the journal and the operator
   */
  public record Diversion(String workflow, String message, Status status) {
    public Diversion {
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(status, "status");
    }
  }

  private final QualityBreakerStore store;
  private final Clock clock;
  private final QualityBreakerSettings defaults;
  private final Map<String, QualityBreakerSettings> perWorkflow;
  private final List<Consumer<Status>> tripListeners;

  private QualityBreaker(Builder builder) {
    this.store = builder.store;
    this.clock = builder.clock;
    this.defaults = builder.defaults;
    this.perWorkflow = Map.copyOf(builder.perWorkflow);
    this.tripListeners = List.copyOf(builder.tripListeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings of {@code workflow}: its own, else the defaults. */
  public QualityBreakerSettings settings(String workflow) {
    return perWorkflow.getOrDefault(workflow, defaults);
  }

  /** The store the breakers live in. */
  public QualityBreakerStore store() {
    return store;
  }

  /**
   * Whether a new task of {@code workflow} may go to the agent: empty when the breaker is closed,
   * else what to tell the requester. One read of the store.
   */
  public Optional<Diversion> admit(String workflow) {
    QualityBreakerStore.requireWorkflow(workflow);
    return store
        .status(workflow)
        .filter(Status::isOpen)
        .map(open -> new Diversion(workflow, settings(workflow).message(workflow), open));
  }

  /**
   * Records the outcome of run {@code runId}, read from its journal, as one sample of its workflow.
   * Idempotent: a run counts once however often it is recorded.
   *
   * @return the breaker after the sample; empty when the run did not end with an answer or a
   *     failure (it runs, waits, was killed or cancelled), or was diverted by a breaker
   */
  public Optional<Status> recordRun(RunJournal journal, RunId runId) {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(runId, "runId");
    return recordRun(runId, journal.read(runId));
  }

  /**
   * As {@link #recordRun(RunJournal, RunId)}, on the run's events the caller has read already (the
   * run loop reads them once at the end for the breaker and for continuous evaluation).
   */
  public Optional<Status> recordRun(RunId runId, List<JournalEntry> events) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(events, "events");
    Optional<String> workflow = workflowOf(events);
    Optional<QualitySample> sample = sampleOf(runId, events);
    if (workflow.isEmpty() || sample.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(record(workflow.get(), sample.get()));
  }

  /**
   * Records the result of an evaluation of {@code workflow}'s output (a scorer, a human review) as
   * one sample under a new id.
   */
  public Status recordEvaluation(String workflow, boolean passed) {
    return recordEvaluation(workflow, UUID.randomUUID().toString(), passed);
  }

  /**
   * As {@link #recordEvaluation(String, boolean)}; an evaluation id recorded before counts once.
   */
  public Status recordEvaluation(String workflow, String evaluationId, boolean passed) {
    return record(workflow, QualitySample.ofEvaluation(evaluationId, clock.instant(), passed));
  }

  /**
   * Adds one sample to {@code workflow}'s window, and opens the breaker if the window now reaches
   * the threshold; the trip listeners hear of it.
   */
  public Status record(String workflow, QualitySample sample) {
    QualityBreakerStore.Recorded recorded =
        store.record(workflow, Objects.requireNonNull(sample, "sample"), settings(workflow));
    if (recorded.tripped()) {
      for (Consumer<Status> listener : tripListeners) {
        try {
          listener.accept(recorded.status());
        } catch (RuntimeException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "a quality breaker trip listener failed for workflow " + workflow + ": " + e);
        }
      }
    }
    return recorded.status();
  }

  /** The breaker of {@code workflow}; closed with an empty window when nothing was recorded. */
  public Status status(String workflow) {
    QualityBreakerStore.requireWorkflow(workflow);
    return store.status(workflow).orElseGet(() -> Status.unknown(workflow));
  }

  /** Every breaker the store knows, by workflow name. */
  public List<Status> statuses() {
    return store.statuses();
  }

  /** Opens the breaker by hand; false when it was open already. */
  public boolean open(String workflow, String by, String reason) {
    return store.open(workflow, by, reason);
  }

  /** Closes the breaker; its window starts afresh. False when it was not open. */
  public boolean close(String workflow, String by, String reason) {
    return store.close(workflow, by, reason);
  }

  /** The latest actions on {@code workflow}'s breaker, newest first. */
  public List<LogEntry> history(String workflow, int limit) {
    return store.history(workflow, limit);
  }

  /**
   * The breaker as an input guard named {@value #GUARD_NAME}: it escalates a task while its
   * workflow's breaker is open, and passes it otherwise. Put it last in the chain, after the guards
   * that redact the task ({@link #appendTo}), so that the kept task is the redacted one.
   */
  public Guard guard() {
    return new QualityBreakerGuard(this);
  }

  /** {@code chain} with {@link #guard()} added last, keeping its max-reasks. */
  public GuardChain appendTo(GuardChain chain) {
    return GuardChain.builder()
        .addAll(chain.guards())
        .add(guard())
        .maxReasks(chain.maxReasks())
        .build();
  }

  /**
   * The sample of a run, from its events: empty while it has not ended with {@code RunCompleted} or
   * {@code RunFailed} (and for a cancelled run), and for a run the breaker diverted. The end is
   * found wherever it is in the journal: events appended after it ({@code EvaluationScored}, {@code
   * ChangeReverted}) do not hide it.
   */
  public static Optional<QualitySample> sampleOf(RunId runId, List<JournalEntry> events) {
    if (events.isEmpty()) {
      return Optional.empty();
    }
    boolean guardStopped = false;
    for (JournalEntry entry : events) {
      if (entry.event() instanceof RunEvent.GuardTripped trip) {
        if (trip.guard().equals(GUARD_NAME)) {
          return Optional.empty();
        }
        guardStopped |=
            trip.kind() == GuardTrip.Kind.BLOCK || trip.kind() == GuardTrip.Kind.ESCALATE;
      }
    }
    boolean guardTripped = guardStopped;
    return RunEnd.of(events)
        .flatMap(
            end ->
                switch (end) {
                  case RunEvent.RunFailed failed ->
                      Optional.of(
                          QualitySample.ofRun(runId, failed.at(), QualitySignal.of(failed.kind())));
                  case RunEvent.RunCompleted completed ->
                      Optional.of(
                          QualitySample.ofRun(
                              runId,
                              completed.at(),
                              guardTripped ? QualitySignal.GUARD_TRIPPED : QualitySignal.PASSED));
                  default -> Optional.empty();
                });
  }

  private static Optional<String> workflowOf(List<JournalEntry> events) {
    for (JournalEntry entry : events) {
      if (entry.event() instanceof RunEvent.RunStarted started) {
        return Optional.ofNullable(started.workflow()).filter(w -> !w.isBlank());
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link QualityBreaker}; a store is required. */
  public static final class Builder {
    private QualityBreakerStore store;
    private Clock clock = Clock.systemUTC();
    private QualityBreakerSettings defaults = QualityBreakerSettings.DEFAULT;
    private final Map<String, QualityBreakerSettings> perWorkflow = new HashMap<>();
    private final List<Consumer<Status>> tripListeners = new ArrayList<>();

    private Builder() {}

    /** Where the breakers live: shared by every node for a cluster-wide breaker. */
    public Builder store(QualityBreakerStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** The clock that times evaluations (default: the system's, UTC). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The settings of every workflow without its own (default {@link
     * QualityBreakerSettings#DEFAULT}).
     */
    public Builder defaults(QualityBreakerSettings value) {
      this.defaults = Objects.requireNonNull(value, "defaults");
      return this;
    }

    /** The settings of one workflow. */
    public Builder settings(String workflow, QualityBreakerSettings value) {
      perWorkflow.put(
          QualityBreakerStore.requireWorkflow(workflow), Objects.requireNonNull(value, "settings"));
      return this;
    }

    /**
     * Called with the breaker's status each time a sample recorded here trips it: page someone.
     * Must not block for long; an exception is logged and ignored.
     */
    public Builder onTrip(Consumer<Status> listener) {
      tripListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws dev.bridle.core.ConfigurationException if no store was given
     */
    public QualityBreaker build() {
      if (store == null) {
        throw new dev.bridle.core.ConfigurationException(
            "a quality breaker needs a store: QualityBreaker.builder().store(...) with an"
                + " InMemoryQualityBreakerStore, or RunStores.qualityBreakers(runStore) for the"
                + " database");
      }
      return new QualityBreaker(this);
    }
  }
}
