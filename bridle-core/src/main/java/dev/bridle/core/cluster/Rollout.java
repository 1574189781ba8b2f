package dev.bridle.core.cluster;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.run.Agent;
import dev.bridle.core.workflow.Percentage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The versions of one workflow served side by side, and the share of new runs each gets: a canary
 * sends 10% of new runs to version 4 while version 3 keeps 90%. See {@code docs/rollout.md}.
 *
 * <p>A new run gets its version from a hash of its run id ({@link Percentage#bucket}), so every
 * node picks the same version for the same run; the version is recorded on its {@code RunStarted},
 * and from then on the run is resumed on that version and no other ({@link #agentFor}), whatever
 * the traffic says by then. A version with 0% traffic gets no new runs but still finishes its own:
 * that is how a version is drained before it is taken away.
 *
 * <pre>{@code
 * Rollout triage =
 *     Rollout.builder("support-triage")
 *         .version("3", Percentage.parse("90%"), "triage-v3.yaml", journal -> v3.journal(journal).build())
 *         .version("4", Percentage.parse("10%"), "triage-v4.yaml", journal -> v4.journal(journal).build())
 *         .build();
 * }</pre>
 */
public final class Rollout {

  /**
   * One version of the workflow.
   *
   * @param source where it was defined (a workflow file), for error messages
   * @param agent builds the version's agent on the journal it is given
   */
  public record Version(
      String version, Percentage traffic, String source, Function<RunStore, Agent> agent) {
    public Version {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(traffic, "traffic");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(agent, "agent");
      if (version.isBlank()) {
        throw new ConfigurationException(
            "a version of a rollout must not be blank (" + source + ")");
      }
    }

    private String describe() {
      return source + ": version " + version + " " + traffic;
    }
  }

  private final String workflow;
  private final List<Version> versions;
  private final Map<String, Version> byVersion;
  private final Function<RunStore, Agent> unlabelled;

  private Rollout(String workflow, List<Version> versions, Function<RunStore, Agent> unlabelled) {
    this.workflow = workflow;
    this.versions = List.copyOf(versions);
    this.byVersion = new TreeMap<>();
    versions.forEach(v -> byVersion.put(v.version(), v));
    this.unlabelled = unlabelled;
  }

  /**
   * One agent that gets every run of {@code workflow}, at whatever version it says it is. A run it
   * resumes must have started on that version.
   */
  public static Rollout of(String workflow, Function<RunStore, Agent> agent) {
    return new Rollout(
        Objects.requireNonNull(workflow, "workflow"), List.of(), Objects.requireNonNull(agent));
  }

  public static Builder builder(String workflow) {
    return new Builder(Objects.requireNonNull(workflow, "workflow"));
  }

  public String workflow() {
    return workflow;
  }

  /** The versions with their traffic, in the order of their labels; empty for {@link #of}. */
  public List<Version> versions() {
    return versions;
  }

  /**
   * The version a new run gets: deterministic in the run id, so asking again, on any node, gives
   * the same answer. Empty for {@link #of}, whose one agent gets every run.
   */
  public Optional<String> pick(RunId runId) {
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    int bucket = Percentage.bucket("rollout:" + workflow, runId);
    int upper = 0;
    for (Version version : versions) {
      upper += version.traffic().basisPoints();
      if (bucket < upper) {
        return Optional.of(version.version());
      }
    }
    throw new IllegalStateException("the traffic of " + workflow + " does not add up to 100%");
  }

  /**
   * The agent that runs or resumes {@code run} on {@code journal}: the version the run started with
   * (as its index row records it), or for a run that has not started, the version {@link #pick}
   * gives it.
   *
   * @throws ConfigurationException when the run started on a version that is not served here
   */
  public Agent agentFor(RunSummary run, RunStore journal) {
    String recorded = run.workflowVersion() == null ? "" : run.workflowVersion();
    if (!versions.isEmpty()) {
      String version = recorded.isEmpty() ? pick(run.runId()).orElseThrow() : recorded;
      Version served = byVersion.get(version);
      if (served == null) {
        throw notServed(run.runId(), version, String.join(", ", byVersion.keySet()));
      }
      return build(served, journal);
    }
    Agent agent = unlabelled.apply(journal);
    if (!recorded.isEmpty() && !recorded.equals(agent.version())) {
      throw notServed(run.runId(), recorded, agent.version());
    }
    return agent;
  }

  /** The agent of {@code version} on {@code journal}; empty when that version is not served. */
  public Optional<Agent> agent(String version, RunStore journal) {
    if (versions.isEmpty()) {
      Agent agent = unlabelled.apply(journal);
      return agent.version().equals(version) ? Optional.of(agent) : Optional.empty();
    }
    return Optional.ofNullable(byVersion.get(version)).map(v -> build(v, journal));
  }

  /**
   * The agent of the version that gets the most new runs (the later label on a tie): the one that
   * describes the workflow where one agent must stand for it.
   */
  public Agent primary(RunStore journal) {
    if (versions.isEmpty()) {
      return unlabelled.apply(journal);
    }
    Version most =
        versions.stream()
            .max(Comparator.comparingInt((Version v) -> v.traffic().basisPoints()))
            .orElseThrow();
    int top = most.traffic().basisPoints();
    return build(
        versions.stream().filter(v -> v.traffic().basisPoints() == top).toList().getLast(),
        journal);
  }

  private Agent build(Version version, RunStore journal) {
    Agent agent = version.agent().apply(journal);
    if (!agent.name().equals(workflow) || !agent.version().equals(version.version())) {
      throw new ConfigurationException(
          "workflow '"
              + workflow
              + "' version "
              + version.version()
              + " ("
              + version.source()
              + ") built the agent "
              + agent.identity()
              + "; it must build agent:"
              + workflow
              + "@"
              + version.version());
    }
    return agent;
  }

  private ConfigurationException notServed(RunId runId, String version, String served) {
    return new ConfigurationException(
        "run "
            + runId
            + " started on version "
            + version
            + " of workflow '"
            + workflow
            + "', which is not served here (served: "
            + served
            + "); a run keeps the version it started with: serve version "
            + version
            + " next to the others with rollout: {traffic: 0%} until its runs have ended");
  }

  @Override
  public String toString() {
    return versions.isEmpty()
        ? "Rollout[" + workflow + "]"
        : "Rollout["
            + workflow
            + ": "
            + versions.stream()
                .map(v -> v.version() + " " + v.traffic())
                .collect(Collectors.joining(", "))
            + "]";
  }

  /** Builds a {@link Rollout}; {@link #build()} names the files that disagree. */
  public static final class Builder {
    private final String workflow;
    private final List<Version> versions = new ArrayList<>();

    private Builder(String workflow) {
      this.workflow = workflow;
    }

    /** Serves {@code version}, defined in {@code source}, to {@code traffic} of the new runs. */
    public Builder version(
        String version, Percentage traffic, String source, Function<RunStore, Agent> agent) {
      versions.add(new Version(version, traffic, source, agent));
      return this;
    }

    /**
     * @throws ConfigurationException when there is no version, a version is given twice, or the
     *     traffic does not add up to 100%; the message names the sources
     */
    public Rollout build() {
      if (versions.isEmpty()) {
        throw new ConfigurationException("workflow '" + workflow + "': a rollout needs a version");
      }
      Map<String, List<Version>> byLabel = new TreeMap<>();
      versions.forEach(v -> byLabel.computeIfAbsent(v.version(), k -> new ArrayList<>()).add(v));
      for (Map.Entry<String, List<Version>> label : byLabel.entrySet()) {
        if (label.getValue().size() > 1) {
          throw new ConfigurationException(
              "workflow '"
                  + workflow
                  + "': version "
                  + label.getKey()
                  + " is defined more than once ("
                  + label.getValue().stream().map(Version::source).collect(Collectors.joining(", "))
                  + "); versions served side by side need different version labels");
        }
      }
      int total = versions.stream().mapToInt(v -> v.traffic().basisPoints()).sum();
      if (total != Percentage.BUCKETS) {
        throw new ConfigurationException(
            "workflow '"
                + workflow
                + "': the traffic of its versions must add up to 100%, but adds up to "
                + java.math.BigDecimal.valueOf(total, 2).stripTrailingZeros().toPlainString()
                + "%"
                + " ("
                + versions.stream().map(Version::describe).collect(Collectors.joining(", "))
                + ")");
      }
      List<Version> sorted = new ArrayList<>(versions);
      sorted.sort(Comparator.comparing(Version::version));
      return new Rollout(workflow, sorted, null);
    }
  }
}
