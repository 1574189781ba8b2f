package dev.bridle.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a template ({@code id}, {@code tags}, {@code each} rows, {@code case}) into one case
 * object per row, with {@code {{name}}} replaced by the row's value in every string. A string that
 * is exactly one placeholder takes the row's value as it is (a number stays a number). {@code
 * {{task}}} is left for the scripted model, which replaces it with the run's task.
 */
final class Templates {

  static final Set<String> KEYS = Set.of("id", "tags", "description", "each", "case");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_-]+)\\s*}}");
  private static final Pattern WHOLE = Pattern.compile("\\A\\{\\{\\s*([A-Za-z0-9_-]+)\\s*}}\\z");
  private static final String TASK = "task";

  private Templates() {}

  /** One case object per row of {@code template}, the {@code index}th of the file. */
  static List<ObjectNode> expand(JsonNode template, String key, SuitePlace file) {
    if (!template.isObject()) {
      throw file.problem(
          key,
          "a template is a mapping {id, tags, each, case}, but was " + CaseReader.type(template));
    }
    CaseReader.unknownKeys(template, KEYS, file, key);
    JsonNode id = template.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw file.problem(key + ".id", "a template needs an 'id' such as \"bio-{{lead}}\"");
    }
    String name = "template '" + id.asText() + "'";
    JsonNode each = template.get("each");
    if (each == null || !each.isArray() || each.isEmpty()) {
      throw file.problem(
          key + ".each", name + " needs 'each': a non-empty list of rows, e.g. [{lead: L-1001}]");
    }
    JsonNode body = template.get("case");
    if (body == null || !body.isObject()) {
      throw file.problem(
          key + ".case", name + " needs 'case': the case's keys (task, script, expect, ...)");
    }
    for (String reserved : List.of("id", "tags", "description")) {
      if (body.has(reserved)) {
        throw file.problem(
            key + ".case." + reserved,
            "'" + reserved + "' of a template's cases is given beside 'each', not inside 'case'");
      }
    }
    List<ObjectNode> cases = new ArrayList<>();
    for (int row = 0; row < each.size(); row++) {
      JsonNode values = each.get(row);
      String rowKey = key + ".each[" + row + "]";
      if (!values.isObject()) {
        throw file.problem(
            rowKey, "a row is a mapping of names to values, but was " + CaseReader.type(values));
      }
      SuitePlace place = file.from(name + ", row " + (row + 1));
      ObjectNode expanded = JsonNodeFactory.instance.objectNode();
      expanded.set("id", substitute(id, values, place, key + ".id"));
      copy(template, "tags", expanded, values, place, key);
      copy(template, "description", expanded, values, place, key);
      body.fields()
          .forEachRemaining(
              field ->
                  expanded.set(
                      field.getKey(),
                      substitute(
                          field.getValue(), values, place, key + ".case." + field.getKey())));
      cases.add(expanded);
    }
    return cases;
  }

  private static void copy(
      JsonNode template, String name, ObjectNode into, JsonNode row, SuitePlace place, String key) {
    JsonNode value = template.get(name);
    if (value != null) {
      into.set(name, substitute(value, row, place, key + "." + name));
    }
  }

  private static JsonNode substitute(JsonNode node, JsonNode row, SuitePlace place, String key) {
    if (node.isTextual()) {
      return substituteText(node.asText(), row, place, key);
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(substitute(node.get(i), row, place, key + "[" + i + "]"));
      }
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(
            field.getKey(), substitute(field.getValue(), row, place, key + "." + field.getKey()));
      }
      return copy;
    }
    return node;
  }

  private static JsonNode substituteText(String text, JsonNode row, SuitePlace place, String key) {
    Matcher whole = WHOLE.matcher(text);
    if (whole.matches() && row.has(whole.group(1))) {
      return row.get(whole.group(1)).deepCopy();
    }
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      JsonNode value = row.get(name);
      String replacement;
      if (value != null) {
        replacement = value.isValueNode() ? value.asText() : Json.canonical(value);
      } else if (name.equals(TASK)) {
        replacement = matcher.group();
      } else {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        throw place.problem(
            key,
            "'{{"
                + name
                + "}}' is not a value of this row; the row has "
                + (names.isEmpty() ? "no values" : String.join(", ", names)));
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return TextNode.valueOf(result.toString());
  }
}
