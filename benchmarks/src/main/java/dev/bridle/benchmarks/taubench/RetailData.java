package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The τ-bench retail material as read at run time from its folder (see {@code
 * ../shared/benchmarks/README.md}): the tool schemas, the three JSON tables and, per split, the
 * tasks joined with their oracle. Nothing of it is copied into the repository. A missing file or
 * field is reported with the file, the line and the field.
 *
 * @param folder where it was read from
 * @param tools the tool schemas, in file order
 * @param wiki the store's policy for its agents ({@code retail_policy_wiki.md}), the agent's
 *     instructions
 * @param tables the store's tables as the tasks start from them
 * @param splits split name ({@code dev}, {@code train}) → its tasks, in file order
 */
record RetailData(
    Path folder,
    List<ToolSchema> tools,
    String wiki,
    RetailTables tables,
    Map<String, List<RetailTask>> splits) {

  static final String TOOLS = "retail_tools.json";
  static final String WIKI = "retail_policy_wiki.md";
  static final String DB = "retail_db";
  static final List<String> SPLITS = List.of("dev", "train");

  private static final ObjectMapper JSON = new ObjectMapper();

  RetailData {
    tools = List.copyOf(tools);
    splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
  }

  /**
   * One tool as the benchmark declares it.
   *
   * @param mutates the data set's own label (from the name prefix), used only to cross-check the
   *     effects Bridle declares
   */
  record ToolSchema(String name, String description, ObjectNode parameters, boolean mutates) {}

  /** The schema of the tool called {@code name}. */
  Optional<ToolSchema> tool(String name) {
    return tools.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** Reads the folder; only the splits in {@code only} (all of {@link #SPLITS} when empty). */
  static RetailData load(Path folder, List<String> only) {
    for (String split : only) {
      if (!SPLITS.contains(split)) {
        throw new IllegalArgumentException(
            "unknown split '" + split + "' (the retail material has " + SPLITS + ")");
      }
    }
    List<String> wanted = only.isEmpty() ? SPLITS : only;
    List<Path> needed = new ArrayList<>();
    needed.add(folder.resolve(TOOLS));
    needed.add(folder.resolve(WIKI));
    for (String table : List.of("orders", "users", "products")) {
      needed.add(folder.resolve(DB).resolve(table + ".json"));
    }
    for (String split : wanted) {
      needed.add(tasksFile(folder, split));
      needed.add(oracleFile(folder, split));
    }
    for (Path file : needed) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            file.toAbsolutePath()
                + " does not exist (pass the taubench-dev folder, e.g."
                + " ../shared/benchmarks/taubench-dev)");
      }
    }
    RetailTables tables =
        new RetailTables(
            table(folder.resolve(DB).resolve("orders.json")),
            table(folder.resolve(DB).resolve("users.json")),
            table(folder.resolve(DB).resolve("products.json")));
    Map<String, List<RetailTask>> splits = new LinkedHashMap<>();
    for (String split : wanted) {
      splits.put(split, tasks(split, tasksFile(folder, split), oracleFile(folder, split)));
    }
    String wiki;
    try {
      wiki = Files.readString(folder.resolve(WIKI));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder.resolve(WIKI), e);
    }
    return new RetailData(folder, tools(folder.resolve(TOOLS)), wiki, tables, splits);
  }

  static Path tasksFile(Path folder, String split) {
    return folder.resolve("retail_tasks_" + split + ".jsonl");
  }

  static Path oracleFile(Path folder, String split) {
    return folder.resolve("retail_tasks_" + split + ".expected.jsonl");
  }

  private static List<ToolSchema> tools(Path file) {
    List<ToolSchema> tools = new ArrayList<>();
    String name = file.getFileName().toString();
    for (JsonNode entry : array(readTree(file), "tools", name)) {
      JsonNode function = object(entry, "function", name + " tools[]");
      String tool = text(function, "name", name + " tools[].function");
      String where = name + " tool " + tool;
      JsonNode mutates = field(entry, "x_mutates_state_heuristic", where);
      if (!mutates.isBoolean()) {
        throw new IllegalArgumentException(
            where
                + ": field 'x_mutates_state_heuristic' must be true or false, but was "
                + mutates);
      }
      tools.add(
          new ToolSchema(
              tool,
              text(function, "description", where),
              (ObjectNode) object(function, "parameters", where),
              mutates.booleanValue()));
    }
    return tools;
  }

  private static ObjectNode table(Path file) {
    JsonNode root = readTree(file);
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          file + " must hold one JSON object (id → record), but holds " + root.getNodeType());
    }
    return (ObjectNode) root;
  }

  /** The tasks of a split joined line by line with their oracle rows (same {@code index}). */
  private static List<RetailTask> tasks(String split, Path tasksFile, Path oracleFile) {
    List<JsonNode> tasks = lines(tasksFile);
    List<JsonNode> oracle = lines(oracleFile);
    if (tasks.size() != oracle.size()) {
      throw new IllegalArgumentException(
          tasksFile.getFileName()
              + " has "
              + tasks.size()
              + " tasks but "
              + oracleFile.getFileName()
              + " has "
              + oracle.size()
              + " rows");
    }
    List<RetailTask> joined = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      joined.add(
          task(
              split,
              tasks.get(i),
              tasksFile.getFileName() + " line " + (i + 1),
              oracle.get(i),
              oracleFile.getFileName() + " line " + (i + 1)));
    }
    return joined;
  }

  private static RetailTask task(
      String split, JsonNode task, String taskWhere, JsonNode oracle, String oracleWhere) {
    int index = integer(task, "index", taskWhere);
    if (integer(oracle, "index", oracleWhere) != index) {
      throw new IllegalArgumentException(
          oracleWhere + ": index " + oracle.get("index") + " does not match task index " + index);
    }
    String userId = text(task, "user_id", taskWhere);
    List<RetailTask.Action> actions = new ArrayList<>();
    for (JsonNode action : array(task, "actions", taskWhere)) {
      String name = text(action, "name", taskWhere + " actions[]");
      actions.add(
          new RetailTask.Action(
              name, (ObjectNode) object(action, "kwargs", taskWhere + " action " + name)));
    }
    JsonNode steps = array(oracle, "step_outputs", oracleWhere);
    if (steps.size() != actions.size()) {
      throw new IllegalArgumentException(
          oracleWhere
              + ": "
              + steps.size()
              + " step outputs for the "
              + actions.size()
              + " actions of task "
              + index);
    }
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      String name = text(steps.get(i), "name", oracleWhere + " step_outputs[" + i + "]");
      if (!name.equals(actions.get(i).name())) {
        throw new IllegalArgumentException(
            oracleWhere
                + " step_outputs["
                + i
                + "] is for "
                + name
                + ", but action "
                + i
                + " of the task is "
                + actions.get(i).name());
      }
      outputs.add(text(steps.get(i), "output", oracleWhere + " step_outputs[" + i + "]"));
    }
    return new RetailTask(
        split,
        index,
        userId,
        text(task, "instruction", taskWhere),
        actions,
        outputs,
        (ObjectNode) object(oracle, "expected_changed_records", oracleWhere));
  }

  private static List<JsonNode> lines(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<JsonNode> nodes = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        nodes.add(JSON.readTree(lines.get(i)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            file.getFileName() + " line " + (i + 1) + " is not JSON: " + e.getOriginalMessage(), e);
      }
    }
    return nodes;
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

  private static int integer(JsonNode node, String name, String where) {
    JsonNode value = field(node, name, where);
    if (!value.isInt()) {
      throw new IllegalArgumentException(
          where + ": field '" + name + "' must be an integer, but was " + value);
    }
    return value.intValue();
  }

  private static JsonNode object(JsonNode node, String name, String where) {
    JsonNode value = field(node, name, where);
    if (!value.isObject()) {
      throw new IllegalArgumentException(
          where + ": field '" + name + "' must be an object, but was " + value.getNodeType());
    }
    return value;
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
