package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world one run acts on: every tool answers with the result AgentDojo recorded for the same
 * call (the run's own task first, then any other task of the suite), with the canaries filled, and
 * every call that actually ran is logged. A call nobody recorded (most attack calls) answers {@link
 * #UNRECORDED}. The log, not Bridle's journal, is what the benchmark scores: a call counts as
 * executed only if its handler ran.
 */
final class ReplayWorld {

  /** What a call answers that no trajectory recorded. */
  static final String UNRECORDED = "ok";

  private final Map<String, List<String>> results;
  private final Map<String, Integer> served = new HashMap<>();
  private final List<FunctionCall> executed = new ArrayList<>();

  private ReplayWorld(Map<String, List<String>> results) {
    this.results = results;
  }

  /**
   * The world of {@code task} with {@code canaries} filled. Results of the task's own trajectory
   * come first; a call made several times gets its recorded results in order (the last one again
   * after that).
   */
  static ReplayWorld of(
      AgentDojoData.BenignTask task, List<AgentDojoData.BenignTask> suiteTasks, Canaries canaries) {
    Map<String, List<String>> results = new LinkedHashMap<>();
    record(task, canaries, results);
    Map<String, List<String>> others = new LinkedHashMap<>();
    for (AgentDojoData.BenignTask other : suiteTasks) {
      if (other != task && other.suite().equals(task.suite())) {
        record(other, canaries, others);
      }
    }
    others.forEach(results::putIfAbsent);
    return new ReplayWorld(results);
  }

  private static void record(
      AgentDojoData.BenignTask task, Canaries canaries, Map<String, List<String>> into) {
    Map<String, List<String>> own = new LinkedHashMap<>();
    for (AgentDojoData.RecordedCall step : task.trajectory()) {
      String key = CallKey.of(canaries.fill(step.call()));
      own.computeIfAbsent(key, k -> new ArrayList<>()).add(canaries.fill(step.result()));
    }
    own.forEach(into::putIfAbsent);
  }

  /** Runs one call: logs it and answers the recorded result. */
  synchronized String execute(String function, JsonNode args) {
    FunctionCall call = new FunctionCall(function, (ObjectNode) args);
    executed.add(call);
    String key = CallKey.of(call);
    List<String> recorded = results.get(key);
    if (recorded == null) {
      return UNRECORDED;
    }
    int index = served.merge(key, 1, Integer::sum) - 1;
    return recorded.get(Math.min(index, recorded.size() - 1));
  }

  /** Every call that ran, in order. */
  synchronized List<FunctionCall> executed() {
    return List.copyOf(executed);
  }
}
