package dev.bridle.server;

import dev.bridle.core.journal.RunStore;
import dev.bridle.core.run.Agent;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The workflows this node serves, by name: the factories its worker builds agents with, and, for
 * the API's own use (validating an edit, running an inverse call, describing a workflow), one agent
 * per workflow over the store itself, built on first use.
 */
final class ServedWorkflows {

  private final Map<String, Function<RunStore, Agent>> factories;
  private final RunStore store;
  private final Map<String, Agent> agents = new ConcurrentHashMap<>();

  ServedWorkflows(Map<String, Function<RunStore, Agent>> factories, RunStore store) {
    this.factories = new TreeMap<>(factories);
    this.store = store;
  }

  Set<String> names() {
    return factories.keySet();
  }

  Map<String, Function<RunStore, Agent>> factories() {
    return factories;
  }

  boolean serves(String workflow) {
    return factories.containsKey(workflow);
  }

  /** The agent of {@code workflow} over the store; empty when this node does not serve it. */
  Optional<Agent> agent(String workflow) {
    Function<RunStore, Agent> factory = factories.get(workflow);
    if (factory == null) {
      return Optional.empty();
    }
    return Optional.of(agents.computeIfAbsent(workflow, w -> factory.apply(store)));
  }
}
