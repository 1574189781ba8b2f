package dev.bridle.core.run;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.Notifier;
import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.tool.Credentials;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.Toolbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A configured agent: a narrow workflow (name, version, instructions), a model, typed tools and
 * limits. Immutable and thread-safe: one agent serves any number of concurrent runs, each with its
 * own journal stream.
 *
 * <pre>{@code
 * Agent agent = Agent.builder()
 *     .name("support-triage").version("1")
 *     .instructions("Classify the ticket, then draft a reply.")
 *     .model(model)
 *     .tools(tools)
 *     .limits(Limits.DEFAULT.withMaxSteps(10))
 *     .build();
 * RunResult result = agent.run("My invoice is wrong");
 * }</pre>
 */
public final class Agent {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final String name;
  private final String version;
  private final String instructions;
  private final ChatModel model;
  private final Toolbox tools;
  private final Limits limits;
  private final Clock clock;
  private final RunJournal journal;
  private final int snapshotEvery;
  private final Policy policy;
  private final KillSwitch killSwitch;
  private final Credentials credentials;
  private final Notifier notifier;
  private final GuardChain guards;
  private final Metering metering;
  private final RateLimits rateLimits;
  private final QualityBreaker qualityBreaker;
  private final ContinuousEvaluation continuousEvaluation;
  private final String definitionHash;

  private Agent(Builder builder) {
    this.name = builder.name;
    this.version = builder.version;
    this.instructions = builder.instructions;
    this.model = builder.model;
    this.tools = Toolbox.of(builder.tools);
    this.limits = builder.limits;
    this.clock = builder.clock;
    this.journal = builder.journal;
    this.snapshotEvery = builder.snapshotEvery;
    this.policy = builder.policy;
    this.killSwitch = builder.killSwitch;
    this.credentials = builder.credentials;
    this.notifier = builder.notifier;
    this.guards = builder.guards;
    this.metering = builder.metering;
    this.rateLimits = builder.rateLimits;
    this.qualityBreaker = builder.qualityBreaker;
    this.continuousEvaluation = builder.continuousEvaluation;
    this.definitionHash = DefinitionHash.of(instructions, tools.tools(), builder.policy.version());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this agent's configuration, to derive a variant (a replay, a test). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.version = version;
    b.instructions = instructions;
    b.model = model;
    b.tools.addAll(tools.tools());
    b.limits = limits;
    b.clock = clock;
    b.journal = journal;
    b.snapshotEvery = snapshotEvery;
    b.policy = policy;
    b.killSwitch = killSwitch;
    b.credentials = credentials;
    b.notifier = notifier;
    b.guards = guards;
    b.metering = metering;
    b.rateLimits = rateLimits;
    b.qualityBreaker = qualityBreaker;
    b.continuousEvaluation = continuousEvaluation;
    return b;
  }

  /** Starts a run with a new id and runs it to its end on the calling thread. */
  public RunResult run(String task) {
    return run(RunId.random(), task);
  }

  /** Runs {@code task} as run {@code runId}, which must not exist yet in the journal. */
  public RunResult run(RunId runId, String task) {
    return run(runId, task, "local");
  }

  /**
   * Runs {@code task} for {@code user} (recorded on the run and used to filter the run index) as
   * run {@code runId}, which must not exist yet in the journal.
   */
  public RunResult run(RunId runId, String task, String user) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(user, "user");
    return AgentLoop.run(this, runId, task, user);
  }

  /**
   * Continues run {@code runId} from its journal, for example after a crash: recorded model
   * responses are not requested again, a started call is re-run only if its tool is idempotent
   * (else the run suspends with the call in doubt), and a run that already ended returns its
   * recorded outcome.
   */
  public RunResult resume(RunId runId) {
    return resume(runId, "local");
  }

  /** As {@link #resume(RunId)}, recording {@code by} (a node id, a user) on {@code RunResumed}. */
  public RunResult resume(RunId runId, String by) {
    return resume(runId, by, () -> false);
  }

  /**
   * As {@link #resume(RunId, String)}; {@code stopRequested} is asked before every model call and
   * every tool call, and when it says so the run stops there with a {@link
   * RunInterruptedException}, resumable later (a worker shutting down, a lease lost).
   */
  public RunResult resume(
      RunId runId, String by, java.util.function.BooleanSupplier stopRequested) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(stopRequested, "stopRequested");
    return AgentLoop.resume(this, runId, by, stopRequested);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  /** The identity recorded on every event and handed to tools: {@code agent:<name>@<version>}. */
  public String identity() {
    return "agent:" + name + "@" + version;
  }

  public String instructions() {
    return instructions;
  }

  /**
   * {@code sha256:} and the hex digest of what this agent is told and may do: its instructions,
   * each tool's name, description, argument schema and effect, and its policy's version. Recorded
   * on every {@code RunStarted}; two agents with the same hash act on the same definition, whatever
   * their versions say. The order of the tools does not matter.
   */
  public String definitionHash() {
    return definitionHash;
  }

  public ChatModel model() {
    return model;
  }

  public Toolbox tools() {
    return tools;
  }

  public Limits limits() {
    return limits;
  }

  public Clock clock() {
    return clock;
  }

  public RunJournal journal() {
    return journal;
  }

  /** The policy every tool call is decided by (DESIGN §4). */
  public Policy policy() {
    return policy;
  }

  /** The kill switches checked before every model call and every tool call. */
  public KillSwitch killSwitch() {
    return killSwitch;
  }

  /** The secrets tools may ask for; they refuse while a kill switch covers this agent. */
  public Credentials credentials() {
    return credentials;
  }

  /** The guards on the input, the model's output, tool arguments and tool results. */
  public GuardChain guards() {
    return guards;
  }

  /** The quality breaker this agent reports its ended runs to, if any. */
  public java.util.Optional<QualityBreaker> qualityBreaker() {
    return java.util.Optional.ofNullable(qualityBreaker);
  }

  /**
   * The online checks a share of this agent's runs get when they end (docs/evaluation.md,
   * "Continuous evaluation"), if any.
   */
  public java.util.Optional<ContinuousEvaluation> continuousEvaluation() {
    return java.util.Optional.ofNullable(continuousEvaluation);
  }

  /** The rate limits on tool calls. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /** Prices and budgets for the model calls. */
  public Metering metering() {
    return metering;
  }

  /** Who hears about autonomous actions and pending approvals. */
  public Notifier notifier() {
    return notifier;
  }

  /**
   * A snapshot of the run's state is saved every this many events (when the journal is a store).
   */
  public int snapshotEvery() {
    return snapshotEvery;
  }

  /** Builds an {@link Agent}; {@link #build()} names the field that is missing or wrong. */
  public static final class Builder {
    private String name;
    private String version = "1";
    private String instructions = "";
    private ChatModel model;
    private final List<Tool<?>> tools = new ArrayList<>();
    private Limits limits = Limits.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private RunJournal journal;
    private int snapshotEvery = 100;
    private Policy policy = Policy.defaults();
    private KillSwitch killSwitch = KillSwitch.NONE;
    private Credentials credentials = Credentials.NONE;
    private Notifier notifier = Notifier.LOG;
    private GuardChain guards = GuardChain.none();
    private Metering metering = Metering.pricesOnly();
    private RateLimits rateLimits = RateLimits.NONE;
    private QualityBreaker qualityBreaker;
    private ContinuousEvaluation continuousEvaluation;

    private Builder() {}

    /**
     * Online checks for a share of the runs (default none): when a run in the sample ends, it is
     * scored, the verdict is journaled ({@code EvaluationScored}) and the quality breaker, if any,
     * counts it.
     */
    public Builder continuousEvaluation(ContinuousEvaluation evaluation) {
      this.continuousEvaluation = Objects.requireNonNull(evaluation, "evaluation");
      return this;
    }

    /**
     * The workflow's quality breaker (default none): while it is open, new tasks go to the human
     * fallback queue (its guard runs last on the input); every run that ends is reported to it.
     */
    public Builder qualityBreaker(QualityBreaker breaker) {
      this.qualityBreaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /**
     * Rate limits on tool calls (default none); share one store-backed limiter across agents and
     * nodes so that a limit holds for the whole deployment.
     */
    public Builder rateLimits(RateLimits rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * Prices and budgets (default: the shipped price table, no budgets): every call's cost is
     * recorded; with budgets, a call whose estimate would cross a hard limit is not made.
     */
    public Builder metering(Metering metering) {
      this.metering = Objects.requireNonNull(metering, "metering");
      return this;
    }

    /** Guards for every stage (default none); trips are journaled as {@code GuardTripped}. */
    public Builder guards(GuardChain guards) {
      this.guards = Objects.requireNonNull(guards, "guards");
      return this;
    }

    /** Who hears about autonomous actions and pending approvals (default: the log). */
    public Builder notifier(Notifier notifier) {
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /**
     * The policy (default {@link Policy#defaults()}: the agent's own tools allowed, SUPERVISED,
     * nothing above a reversible write without a human).
     */
    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Kill switches to obey (default none); share one store-backed switch across agents. */
    public Builder killSwitch(KillSwitch killSwitch) {
      this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
      return this;
    }

    /** Secrets for the tools (default none). */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Saves a state snapshot every this many events, bounding resume time (default 100). */
    public Builder snapshotEvery(int events) {
      if (events < 1) {
        throw new ConfigurationException("snapshot-every must be at least 1, but was " + events);
      }
      this.snapshotEvery = events;
      return this;
    }

    /** Lower-case letters, digits and dashes, e.g. {@code support-triage}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    public Builder instructions(String instructions) {
      this.instructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    public Builder model(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder tool(Tool<?> tool) {
      tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /** Replaces the tools given so far. */
    public Builder replaceTools(List<? extends Tool<?>> replacement) {
      tools.clear();
      replacement.forEach(this::tool);
      return this;
    }

    public Builder tools(List<? extends Tool<?>> more) {
      more.forEach(this::tool);
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where events go; an in-memory journal when not set. */
    public Builder journal(RunJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    public Agent build() {
      if (name == null) {
        throw new ConfigurationException("agent name is required");
      }
      if (!NAME.matcher(name).matches()) {
        throw new ConfigurationException(
            "agent name must be lower-case letters, digits and dashes (at most 64), but was '"
                + name
                + "'");
      }
      if (version.isBlank()) {
        throw new ConfigurationException("agent version must not be blank");
      }
      if (model == null) {
        throw new ConfigurationException("agent '" + name + "': a model is required");
      }
      if (journal == null) {
        journal = new InMemoryRunStore();
      }
      if (qualityBreaker != null
          && guards.guards().stream().noneMatch(g -> g.name().equals(QualityBreaker.GUARD_NAME))) {
        guards = qualityBreaker.appendTo(guards);
      }
      return new Agent(this);
    }
  }
}
