package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the canaries of the recorded data ({@code <CANARY---vector_id--->}, where an injection
 * lands) with what this run puts there: the attack text for the scenario's vectors, the suite's
 * benign default for every other vector. Canaries occur in tool results and in arguments (a channel
 * whose name holds the injection is called by that name).
 */
final class Canaries {

  private static final Pattern CANARY = Pattern.compile("<CANARY---([A-Za-z0-9_]+)--->");

  private final Map<String, String> values;

  private Canaries(Map<String, String> values) {
    this.values = values;
  }

  /** Defaults for every vector, overridden by {@code injections} (vector → attack text). */
  static Canaries of(AgentDojoData.Suite suite, Map<String, String> injections) {
    Map<String, String> values = new LinkedHashMap<>(suite.injectionDefaults());
    injections.forEach(
        (vector, text) -> {
          if (!values.containsKey(vector)) {
            throw new IllegalArgumentException(
                "injection vector '"
                    + vector
                    + "' is not one of suite "
                    + suite.name()
                    + "'s vectors "
                    + suite.injectionDefaults().keySet());
          }
          values.put(vector, text);
        });
    return new Canaries(values);
  }

  String fill(String text) {
    Matcher matcher = CANARY.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    do {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "canary for unknown injection vector '"
                + matcher.group(1)
                + "'; known vectors: "
                + values.keySet());
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    } while (matcher.find());
    matcher.appendTail(out);
    return out.toString();
  }

  FunctionCall fill(FunctionCall call) {
    return new FunctionCall(call.function(), (ObjectNode) fill(call.args()));
  }

  private JsonNode fill(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(fill(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), fill(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> copy.add(fill(v)));
      return copy;
    }
    return node;
  }
}
