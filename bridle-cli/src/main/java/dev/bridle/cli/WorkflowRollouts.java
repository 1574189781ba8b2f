package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.run.Agent;
import dev.bridle.core.workflow.Percentage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The workflow files a node serves, grouped by workflow name into {@link Rollout}s: files that
 * share a name are versions of one workflow served side by side (docs/rollout.md). Each of them
 * must say its share of new runs ({@code rollout: {traffic: 10%}}); a file served alone gets every
 * run unless it says otherwise.
 */
final class WorkflowRollouts {

  private WorkflowRollouts() {}

  /**
   * One rollout per workflow name, in the order the files were given.
   *
   * @param agents builds the agent of one served file on the journal it is given
   * @throws ConfigurationException naming the files when versions repeat, a file of several does
   *     not declare its traffic, or the traffic does not add up to 100%
   */
  static List<Rollout> of(
      List<ServeCommand.ServedWorkflow> served,
      Function<ServeCommand.ServedWorkflow, Function<RunStore, Agent>> agents) {
    Map<String, List<ServeCommand.ServedWorkflow>> byName = new LinkedHashMap<>();
    served.forEach(s -> byName.computeIfAbsent(s.workflow().name(), k -> new ArrayList<>()).add(s));
    List<Rollout> rollouts = new ArrayList<>();
    byName.forEach((name, files) -> rollouts.add(rollout(name, files, agents)));
    return rollouts;
  }

  private static Rollout rollout(
      String name,
      List<ServeCommand.ServedWorkflow> files,
      Function<ServeCommand.ServedWorkflow, Function<RunStore, Agent>> agents) {
    if (files.size() > 1) {
      List<String> undeclared =
          files.stream()
              .filter(f -> f.workflow().rollout().traffic().isEmpty())
              .map(f -> f.file().toString())
              .toList();
      if (!undeclared.isEmpty()) {
        throw new ConfigurationException(
            "workflow '"
                + name
                + "' is defined by "
                + files.size()
                + " files ("
                + files.stream().map(f -> f.file().toString()).collect(Collectors.joining(", "))
                + "): each must say which share of new runs its version gets with 'rollout:"
                + " {traffic: N%}', but "
                + String.join(", ", undeclared)
                + (undeclared.size() == 1 ? " does not" : " do not"));
      }
    }
    Rollout.Builder rollout = Rollout.builder(name);
    for (ServeCommand.ServedWorkflow file : files) {
      rollout.version(
          file.workflow().version(),
          file.workflow().rollout().traffic().orElse(Percentage.ALL),
          file.file().toString(),
          agents.apply(file));
    }
    return rollout.build();
  }
}
