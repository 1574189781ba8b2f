package dev.bridle.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads suite files: YAML ({@code .yaml}, {@code .yml}, {@code .json}) or JSON Lines ({@code
 * .jsonl}), in the format of {@code docs/evaluation.md}. Every problem is a {@link SuiteException}
 * naming the file, the case and the key.
 *
 * <pre>{@code
 * EvalSuite suite = Suites.load(Path.of("evals/suite.yaml"));
 * }</pre>
 */
public final class Suites {

  /** Suite files larger than this are refused. */
  public static final long MAX_FILE_BYTES = 20_000_000;

  static final Set<String> SUITE_KEYS =
      Set.of("suite", "workflow", "refusal-markers", "defaults", "cases", "templates");

  /** The keys {@code defaults:} may set: those of a case but its id. */
  private static final Set<String> DEFAULT_KEYS =
      Set.of(
          "tags", "description", "task", "fixtures", "script", "human", "expect", "scripted-only");

  /** Keys whose mappings the defaults and a case combine, key by key. */
  private static final Set<String> MERGED_KEYS = Set.of("fixtures", "expect");

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final ObjectMapper JSON =
      Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Suites() {}

  /** Reads a suite file; JSON Lines when its name ends in {@code .jsonl}, YAML otherwise. */
  public static EvalSuite load(Path file) {
    String where = file.toString();
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw SuitePlace.file(where)
            .problem("", "the file is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return parse(file, Files.readString(file));
    } catch (NoSuchFileException e) {
      throw SuitePlace.file(where).problem("", "no such suite file", e);
    } catch (IOException e) {
      throw SuitePlace.file(where).problem("", "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses suite text read from {@code source} (whose name picks the format and whose directory
   * relative paths are resolved against).
   */
  public static EvalSuite parse(Path source, String text) {
    String name =
        source.getFileName() == null ? source.toString() : source.getFileName().toString();
    if (name.endsWith(".jsonl")) {
      return parseJsonLines(source, text);
    }
    return parseYaml(source, text);
  }

  private static EvalSuite parseYaml(Path source, String text) {
    SuitePlace file = SuitePlace.file(source.toString());
    if (text.isBlank()) {
      throw file.problem("", "the file is empty");
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw file.problem("", "not valid YAML" + at(e) + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw file.problem(
          "",
          "a suite is a mapping with 'cases' (and 'suite', 'workflow', 'defaults', 'templates')");
    }
    CaseReader.unknownKeys(root, SUITE_KEYS, file, "");
    Header header = header(root, source, file);
    List<ObjectNode> raw = new ArrayList<>();
    JsonNode cases = root.get("cases");
    if (cases != null && !cases.isNull()) {
      if (!cases.isArray()) {
        throw file.problem("cases", "cases is a list of cases, but was " + CaseReader.type(cases));
      }
      for (int i = 0; i < cases.size(); i++) {
        if (!cases.get(i).isObject()) {
          throw file.problem(
              "cases[" + i + "]",
              "a case is a mapping of keys, but was " + CaseReader.type(cases.get(i)));
        }
        raw.add((ObjectNode) cases.get(i));
      }
    }
    List<EvalCase> read = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < raw.size(); i++) {
      read.add(readCase(raw.get(i), header.defaults(), file, "cases[" + i + "]", seen));
    }
    JsonNode templates = root.get("templates");
    if (templates != null && !templates.isNull()) {
      if (!templates.isArray()) {
        throw file.problem(
            "templates", "templates is a list, but was " + CaseReader.type(templates));
      }
      for (int t = 0; t < templates.size(); t++) {
        String key = "templates[" + t + "]";
        List<ObjectNode> expanded = Templates.expand(templates.get(t), key, file);
        for (int row = 0; row < expanded.size(); row++) {
          SuitePlace place =
              file.from("template '" + templates.get(t).get("id").asText() + "', row " + (row + 1));
          read.add(
              readCase(
                  expanded.get(row), header.defaults(), place, key + ".each[" + row + "]", seen));
        }
      }
    }
    if (read.isEmpty()) {
      throw file.problem("cases", "the suite has no cases; add 'cases' or 'templates'");
    }
    return new EvalSuite(header.name(), source, header.workflow(), header.refusalMarkers(), read);
  }

  private static EvalSuite parseJsonLines(Path source, String text) {
    String where = source.toString();
    List<String> lines = text.lines().toList();
    Header header = null;
    List<EvalCase> read = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      SuitePlace place = SuitePlace.file(where + ":" + (i + 1));
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw place.problem("", "not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (!node.isObject()) {
        throw place.problem(
            "", "each line is one JSON object (a case), but was " + CaseReader.type(node));
      }
      boolean isHeader = node.has("suite") && !node.has("id");
      if (isHeader) {
        if (header != null || !read.isEmpty()) {
          throw place.problem(
              "suite", "the suite's settings (a line with 'suite') may only be the first line");
        }
        CaseReader.unknownKeys(
            node, Set.of("suite", "workflow", "refusal-markers", "defaults"), place, "");
        header = header(node, source, place);
        continue;
      }
      if (header == null) {
        header = header(Json.MAPPER.createObjectNode(), source, place);
      }
      if (node.has("each")) {
        List<ObjectNode> expanded = Templates.expand(node, "", place);
        for (int row = 0; row < expanded.size(); row++) {
          read.add(
              readCase(
                  expanded.get(row),
                  header.defaults(),
                  place.from("template '" + node.get("id").asText() + "', row " + (row + 1)),
                  "each[" + row + "]",
                  seen));
        }
      } else {
        read.add(readCase((ObjectNode) node, header.defaults(), place, "", seen));
      }
    }
    if (read.isEmpty()) {
      throw SuitePlace.file(where)
          .problem("", "the suite has no cases; write one JSON object per line");
    }
    return new EvalSuite(header.name(), source, header.workflow(), header.refusalMarkers(), read);
  }

  private static EvalCase readCase(
      ObjectNode raw, JsonNode defaults, SuitePlace place, String key, Map<String, String> seen) {
    String id = CaseReader.id(raw, place, key);
    String previous = seen.putIfAbsent(id, key.isEmpty() ? place.file() : key);
    if (previous != null) {
      throw place
          .inCase(id)
          .problem(
              "id",
              "the id is used twice (also by " + previous + "); case ids are unique in a suite");
    }
    return CaseReader.read(merge(defaults, raw), place);
  }

  /** {@code defaults} under {@code own}: the case's keys win; fixtures and expect combine. */
  static ObjectNode merge(JsonNode defaults, ObjectNode own) {
    ObjectNode merged = own.deepCopy();
    defaults
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode mine = merged.get(field.getKey());
              if (mine == null || mine.isNull()) {
                merged.set(field.getKey(), field.getValue().deepCopy());
              } else if (MERGED_KEYS.contains(field.getKey())
                  && mine.isObject()
                  && field.getValue().isObject()) {
                ObjectNode combined = field.getValue().deepCopy();
                combined.setAll((ObjectNode) mine);
                merged.set(field.getKey(), combined);
              }
            });
    return merged;
  }

  private record Header(
      String name, Optional<Path> workflow, List<String> refusalMarkers, JsonNode defaults) {}

  private static Header header(JsonNode root, Path source, SuitePlace file) {
    String name = fileStem(source);
    JsonNode suite = root.get("suite");
    if (suite != null && !suite.isNull()) {
      if (!suite.isTextual() || suite.asText().isBlank()) {
        throw file.problem(
            "suite", "the suite's name is text, but was " + CaseReader.quoted(suite));
      }
      name = suite.asText();
    }
    Optional<Path> workflow = Optional.empty();
    JsonNode workflowNode = root.get("workflow");
    if (workflowNode != null && !workflowNode.isNull()) {
      if (!workflowNode.isTextual() || workflowNode.asText().isBlank()) {
        throw file.problem(
            "workflow",
            "workflow is the path of a workflow file, but was " + CaseReader.quoted(workflowNode));
      }
      Path directory = source.toAbsolutePath().getParent();
      Path path = Path.of(workflowNode.asText());
      workflow = Optional.of(directory == null ? path : directory.resolve(path).normalize());
    }
    List<String> markers = EvalSuite.defaultRefusalMarkers();
    JsonNode markersNode = root.get("refusal-markers");
    if (markersNode != null && !markersNode.isNull()) {
      if (!markersNode.isArray()) {
        throw file.problem(
            "refusal-markers",
            "refusal-markers is a list of phrases, but was " + CaseReader.type(markersNode));
      }
      List<String> given = new ArrayList<>();
      for (int i = 0; i < markersNode.size(); i++) {
        JsonNode marker = markersNode.get(i);
        if (!marker.isTextual() || marker.asText().isBlank()) {
          throw file.problem(
              "refusal-markers[" + i + "]",
              "a refusal marker is non-empty text, but was " + CaseReader.quoted(marker));
        }
        given.add(marker.asText());
      }
      markers = given;
    }
    JsonNode defaults = root.get("defaults");
    if (defaults == null || defaults.isNull()) {
      defaults = Json.MAPPER.createObjectNode();
    } else if (!defaults.isObject()) {
      throw file.problem(
          "defaults", "defaults is a mapping of case keys, but was " + CaseReader.type(defaults));
    } else {
      CaseReader.unknownKeys(defaults, DEFAULT_KEYS, file, "defaults");
    }
    return new Header(name, workflow, markers, defaults);
  }

  private static String fileStem(Path source) {
    String name = source.getFileName() == null ? "suite" : source.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String at(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    return location == null || location.getLineNr() < 1
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
