package dev.bridle.server;

import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.run.Agent;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workflows this node serves, by name, each as a {@link Rollout} of one or more versions: the
 * worker builds its agents from them; the API's own uses (validating an edit, running an inverse
 * call, describing a workflow) get one agent per workflow version over the store itself, built on
 * first use.
 */
final class ServedWorkflows {

  private final Map<String, Rollout> rollouts;
  private final RunStore store;
  private final Map<String, Built> primaries = new ConcurrentHashMap<>();
  private final Map<String, Optional<Agent>> byVersion = new ConcurrentHashMap<>();

  ServedWorkflows(Map<String, Rollout> rollouts, RunStore store) {
    this.rollouts = new TreeMap<>(rollouts);
    this.store = store;
  }

  Set<String> names() {
    return rollouts.keySet();
  }

  Map<String, Rollout> rollouts() {
    return rollouts;
  }

  boolean serves(String workflow) {
    return rollouts.containsKey(workflow);
  }

  /**
   * The agent that stands for {@code workflow} (the version with the most traffic) over the store;
   * empty when this node does not serve it.
   */
  Optional<Agent> agent(String workflow) {
    Rollout rollout = rollouts.get(workflow);
    if (rollout == null) {
      return Optional.empty();
    }
    return Optional.of(
        primaries.computeIfAbsent(workflow, w -> new Built(rollout.primary(store), -1)).agent());
  }

  /**
   * The agent that stands for {@code workflow}, built anew once after each operator's mode change
   * ({@code modeChangeSeq}, the latest change's number), so that an agent whose policy applies the
   * override ({@code DeploymentEvidence.effectivePolicy}) shows the mode in force; empty when this
   * node does not serve it.
   */
  Optional<Agent> current(String workflow, long modeChangeSeq) {
    Rollout rollout = rollouts.get(workflow);
    if (rollout == null) {
      return Optional.empty();
    }
    return Optional.of(
        primaries
            .compute(
                workflow,
                (w, built) ->
                    built != null && built.modeChangeSeq() == modeChangeSeq
                        ? built
                        : new Built(rollout.primary(store), modeChangeSeq))
            .agent());
  }

  /** An agent, and the mode change it was built after ({@code -1}: not known). */
  private record Built(Agent agent, long modeChangeSeq) {}

  /** The agent of {@code version} of {@code workflow}; empty when it is not served here. */
  Optional<Agent> agent(String workflow, String version) {
    Rollout rollout = rollouts.get(workflow);
    if (rollout == null) {
      return Optional.empty();
    }
    return byVersion.computeIfAbsent(
        workflow + "@" + version, key -> rollout.agent(version, store));
  }

  /**
   * The acting identity of {@code run}: {@code agent:<workflow>@<version>} of the version it
   * started with, or for a run that has not started, of the version standing for the workflow.
   */
  String identity(RunSummary run) {
    String version = run.workflowVersion() == null ? "" : run.workflowVersion();
    if (!version.isEmpty()) {
      return "agent:" + run.workflow() + "@" + version;
    }
    return agent(run.workflow()).map(Agent::identity).orElse("agent:" + run.workflow() + "@");
  }
}
