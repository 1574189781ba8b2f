package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The AgentDojo development split as read at run time from its folder ({@code suites.json}, {@code
 * benign_trajectories.jsonl}, {@code attack_scenarios.jsonl}; see {@code
 * ../shared/benchmarks/README.md}). Nothing of it is copied into the repository. A file or field
 * that is missing or of the wrong kind is an {@link IllegalArgumentException} naming the file, the
 * line and the field.
 */
record AgentDojoData(
    Path folder, Map<String, Suite> suites, List<BenignTask> tasks, List<AttackScenario> attacks) {

  static final String SUITES = "suites.json";
  static final String TRAJECTORIES = "benign_trajectories.jsonl";
  static final String SCENARIOS = "attack_scenarios.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  AgentDojoData {
    suites = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(suites));
    tasks = List.copyOf(tasks);
    attacks = List.copyOf(attacks);
  }

  /** One tool as the suite declares it: its name, description and JSON Schema of arguments. */
  record ToolSchema(String name, String description, ObjectNode parameters) {
    ToolSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      parameters = parameters.deepCopy();
    }

    @Override
    public ObjectNode parameters() {
      return parameters.deepCopy();
    }
  }

  /**
   * One suite: its tools and the benign text of each injection vector (what a canary holds when
   * nobody attacks).
   */
  record Suite(String name, List<ToolSchema> tools, Map<String, String> injectionDefaults) {
    Suite {
      tools = List.copyOf(tools);
      injectionDefaults =
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(injectionDefaults));
    }

    Optional<ToolSchema> tool(String toolName) {
      return tools.stream().filter(t -> t.name().equals(toolName)).findFirst();
    }
  }

  /** A call of a benign trajectory with the exact text the tool returned (canaries included). */
  record RecordedCall(FunctionCall call, String result) {
    RecordedCall {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * A user task and its ground-truth trajectory.
   *
   * @param injectionCandidates the injection vectors the trajectory reads
   */
  record BenignTask(
      String suite,
      String id,
      String prompt,
      List<String> injectionCandidates,
      List<RecordedCall> trajectory) {
    BenignTask {
      injectionCandidates = List.copyOf(injectionCandidates);
      trajectory = List.copyOf(trajectory);
    }

    List<FunctionCall> calls() {
      return trajectory.stream().map(RecordedCall::call).toList();
    }
  }

  /**
   * One user task under one injection task.
   *
   * @param injections vector id → the attack text placed at that vector's canary
   * @param attackCalls what a fully compromised model does for the attacker
   * @param sameTool whether every attack tool is also a tool of the benign task (a per-task tool
   *     allowlist cannot stop these)
   */
  record AttackScenario(
      String suite,
      String userTaskId,
      String injectionTaskId,
      String userPrompt,
      String injectionGoal,
      Map<String, String> injections,
      List<FunctionCall> benignCalls,
      List<FunctionCall> attackCalls,
      boolean sameTool) {
    AttackScenario {
      injections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(injections));
      benignCalls = List.copyOf(benignCalls);
      attackCalls = List.copyOf(attackCalls);
    }

    String id() {
      return suite + "/" + userTaskId + "/" + injectionTaskId;
    }
  }

  /** Reads the folder; only the suites in {@code only} (all when empty). */
  static AgentDojoData load(Path folder, List<String> only) {
    for (String file : List.of(SUITES, TRAJECTORIES, SCENARIOS)) {
      if (!Files.isRegularFile(folder.resolve(file))) {
        throw new IllegalArgumentException(
            "AgentDojo data not found: "
                + folder.resolve(file).toAbsolutePath()
                + " does not exist (pass the agentdojo-dev folder, e.g."
                + " ../shared/benchmarks/agentdojo-dev)");
      }
    }
    Map<String, Suite> suites = readSuites(folder.resolve(SUITES), only);
    List<BenignTask> tasks = new ArrayList<>();
    forEachLine(
        folder.resolve(TRAJECTORIES),
        (where, node) -> {
          String suite = text(node, "suite", where);
          if (suites.containsKey(suite)) {
            tasks.add(benignTask(node, where));
          }
        });
    List<AttackScenario> attacks = new ArrayList<>();
    forEachLine(
        folder.resolve(SCENARIOS),
        (where, node) -> {
          String suite = text(node, "suite", where);
          if (suites.containsKey(suite)) {
            attacks.add(attackScenario(node, where));
          }
        });
    return new AgentDojoData(folder, suites, tasks, attacks);
  }

  /** The benign task of a scenario; the data set has exactly one per (suite, user task). */
  BenignTask task(String suite, String userTaskId) {
    return tasks.stream()
        .filter(t -> t.suite().equals(suite) && t.id().equals(userTaskId))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no benign trajectory for "
                        + suite
                        + "/"
                        + userTaskId
                        + " in "
                        + TRAJECTORIES));
  }

  private static Map<String, Suite> readSuites(Path file, List<String> only) {
    JsonNode root = readTree(file);
    JsonNode suitesNode = field(root, "suites", file.getFileName().toString());
    Map<String, Suite> suites = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = suitesNode.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (!only.isEmpty() && !only.contains(entry.getKey())) {
        continue;
      }
      String where = SUITES + " suites." + entry.getKey();
      List<ToolSchema> tools = new ArrayList<>();
      for (JsonNode tool : array(entry.getValue(), "tools", where)) {
        String name = text(tool, "name", where + ".tools");
        JsonNode parameters = field(tool, "parameters", where + ".tools." + name);
        if (!parameters.isObject()) {
          throw new IllegalArgumentException(
              where + ".tools." + name + ".parameters must be an object, but was " + parameters);
        }
        tools.add(
            new ToolSchema(
                name,
                text(tool, "description", where + ".tools." + name),
                (ObjectNode) parameters));
      }
      Map<String, String> defaults = new LinkedHashMap<>();
      field(entry.getValue(), "injection_vectors", where)
          .fields()
          .forEachRemaining(v -> defaults.put(v.getKey(), v.getValue().asText()));
      suites.put(entry.getKey(), new Suite(entry.getKey(), tools, defaults));
    }
    for (String wanted : only) {
      if (!suites.containsKey(wanted)) {
        throw new IllegalArgumentException(
            "suite '"
                + wanted
                + "' is not in "
                + file
                + "; it has "
                + suitesNode.properties().stream().map(Map.Entry::getKey).toList());
      }
    }
    return suites;
  }

  private static BenignTask benignTask(JsonNode node, String where) {
    List<String> candidates = new ArrayList<>();
    array(node, "injection_candidates", where).forEach(c -> candidates.add(c.asText()));
    List<RecordedCall> trajectory = new ArrayList<>();
    for (JsonNode step : array(node, "trajectory", where)) {
      JsonNode error = step.path("error");
      if (!error.isNull() && !error.isMissingNode()) {
        throw new IllegalArgumentException(
            where + ": a ground-truth call failed upstream (" + error + "); it cannot be replayed");
      }
      trajectory.add(
          new RecordedCall(call(step, where + ".trajectory"), text(step, "result", where)));
    }
    return new BenignTask(
        text(node, "suite", where),
        text(node, "user_task_id", where),
        text(node, "prompt", where),
        candidates,
        trajectory);
  }

  private static AttackScenario attackScenario(JsonNode node, String where) {
    Map<String, String> injections = new LinkedHashMap<>();
    field(node, "injections", where)
        .fields()
        .forEachRemaining(e -> injections.put(e.getKey(), e.getValue().asText()));
    JsonNode sameTool = field(node, "attack_tools_subset_of_benign_tools", where);
    if (!sameTool.isBoolean()) {
      throw new IllegalArgumentException(
          where
              + ": attack_tools_subset_of_benign_tools must be true or false, but was "
              + sameTool);
    }
    return new AttackScenario(
        text(node, "suite", where),
        text(node, "user_task_id", where),
        text(node, "injection_task_id", where),
        text(node, "user_prompt", where),
        text(node, "injection_goal", where),
        injections,
        calls(node, "benign_calls", where),
        calls(node, "attack_calls", where),
        sameTool.booleanValue());
  }

  private static List<FunctionCall> calls(JsonNode node, String name, String where) {
    List<FunctionCall> calls = new ArrayList<>();
    for (JsonNode c : array(node, name, where)) {
      calls.add(call(c, where + "." + name));
    }
    return calls;
  }

  private static FunctionCall call(JsonNode node, String where) {
    String function = text(node, "function", where);
    JsonNode args = field(node, "args", where + "." + function);
    if (!args.isObject()) {
      throw new IllegalArgumentException(
          where + "." + function + ".args must be an object, but was " + args);
    }
    return new FunctionCall(function, (ObjectNode) args);
  }

  private interface LineHandler {
    void accept(String where, JsonNode node);
  }

  private static void forEachLine(Path file, LineHandler handler) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String where = file.getFileName() + " line " + (i + 1);
      JsonNode node;
      try {
        node = JSON.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage(), e);
      }
      handler.accept(where, node);
    }
  }

  private static JsonNode readTree(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static JsonNode field(JsonNode node, String name, String where) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(where + ": field '" + name + "' is missing");
    }
    return value;
  }

  private static String text(JsonNode node, String name, String where) {
    JsonNode value = field(node, name, where);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          where + ": field '" + name + "' must be a string, but was " + value);
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String name, String where) {
    JsonNode value = field(node, name, where);
    if (!value.isArray()) {
      throw new IllegalArgumentException(
          where + ": field '" + name + "' must be an array, but was " + value.getNodeType());
    }
    return value;
  }
}
