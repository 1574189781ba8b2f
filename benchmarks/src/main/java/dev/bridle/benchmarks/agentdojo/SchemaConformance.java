package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that a tool's argument record accepts exactly what the suite's JSON Schema declares: the
 * same argument names, the same required ones, the same JSON type for each ({@code anyOf [T, null]}
 * counts as an optional {@code T}). A suite that changed upstream fails here with the difference,
 * instead of being measured with tools it does not have.
 */
final class SchemaConformance {

  private SchemaConformance() {}

  static void check(AgentDojoData.ToolSchema suite, Tool<?> tool) {
    Map<String, String> declared = types(suite.parameters());
    Map<String, String> generated = types(tool.schema());
    TreeSet<String> declaredRequired = required(suite.parameters());
    TreeSet<String> generatedRequired = required(tool.schema());
    List<String> problems = new ArrayList<>();
    if (!declared.keySet().equals(generated.keySet())) {
      problems.add(
          "the suite declares the arguments "
              + declared.keySet()
              + ", the record "
              + generated.keySet());
    } else {
      declared.forEach(
          (name, type) -> {
            if (!Objects.equals(type, generated.get(name))) {
              problems.add(
                  "argument '"
                      + name
                      + "' is "
                      + type
                      + " in the suite, "
                      + generated.get(name)
                      + " in the record");
            }
          });
    }
    if (!declaredRequired.equals(generatedRequired)) {
      problems.add("the suite requires " + declaredRequired + ", the record " + generatedRequired);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "tool '"
              + suite.name()
              + "' does not match the suite's schema: "
              + String.join("; ", problems)
              + " (argument record "
              + tool.argumentType().getName()
              + ")");
    }
  }

  private static Map<String, String> types(JsonNode schema) {
    Map<String, String> types = new TreeMap<>();
    schema
        .path("properties")
        .properties()
        .forEach(e -> types.put(e.getKey(), typeOf(e.getValue())));
    return types;
  }

  private static String typeOf(JsonNode property) {
    JsonNode type = property.path("type");
    if (type.isTextual()) {
      return type.asText();
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
    }
    for (JsonNode option : property.path("anyOf")) {
      String t = typeOf(option);
      if (!"null".equals(t)) {
        return t;
      }
    }
    return "any";
  }

  private static TreeSet<String> required(JsonNode schema) {
    TreeSet<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    return required;
  }
}
