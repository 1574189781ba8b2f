package dev.bridle.core.guard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The values and keys of a tool call's arguments as guards read them ({@link GuardSubject#parts()})
 * and, for a guard that redacts, the arguments rebuilt with changed values. Values are decoded:
 * guards see a line break, not the JSON escape {@code \n}.
 */
final class ArgumentValues {

  /** Exactly one JSON value, no duplicate keys: anything else is read as plain text. */
  private static final ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Keys shown as they are in argument paths; others could carry a value and are hidden. */
  /**
   * A key shown in a path: an identifier of at most 15 characters. A secret detector never finds a
   * token that short (a guard's {@code min-token-length} is at least 16), so a key a guard treats
   * as a secret is never repeated in its reason; longer keys show as {@code <key>}.
   */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,14}");

  private static final String HIDDEN_KEY = "<key>";

  private ArgumentValues() {}

  /** The arguments as a tree when {@code text} is one JSON object or array; empty otherwise. */
  static Optional<JsonNode> parse(String text) {
    try {
      JsonNode tree = STRICT.readTree(text);
      return tree != null && tree.isContainerNode() ? Optional.of(tree) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Every key, string value (decoded) and number (as written) of {@code tree}, in order. */
  static List<GuardSubject.Part> parts(JsonNode tree) {
    List<GuardSubject.Part> parts = new ArrayList<>();
    collect(tree, "", parts);
    return List.copyOf(parts);
  }

  private static void collect(JsonNode node, String path, List<GuardSubject.Part> parts) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = child(path, field.getKey());
        parts.add(new GuardSubject.Part(field.getKey(), Optional.of(child), true));
        collect(field.getValue(), child, parts);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), path + "[" + i + "]", parts);
      }
    } else if (node.isTextual() || node.isNumber()) {
      parts.add(new GuardSubject.Part(node.asText(), Optional.of(path), false));
    }
  }

  private static String child(String path, String key) {
    boolean plain = PLAIN_KEY.matcher(key).matches() && Redactor.redact(key).equals(key);
    String shown = plain ? key : HIDDEN_KEY;
    return path.isEmpty() ? shown : path + "." + shown;
  }

  /**
   * {@code tree} as canonical JSON with each part replaced by {@code replace}'s result: a string
   * value keeps its place, a number whose text changes becomes a string (so the call no longer fits
   * a schema that wants a number), and a key is renamed. Empty when two keys of one object would
   * end up with the same name.
   */
  static Optional<String> rewritten(JsonNode tree, Function<GuardSubject.Part, String> replace) {
    Optional<JsonNode> rebuilt = rebuild(tree, "", replace);
    return rebuilt.map(Json::canonical);
  }

  private static Optional<JsonNode> rebuild(
      JsonNode node, String path, Function<GuardSubject.Part, String> replace) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (node.isObject()) {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = child(path, field.getKey());
        String key = replace.apply(new GuardSubject.Part(field.getKey(), Optional.of(child), true));
        Optional<JsonNode> value = rebuild(field.getValue(), child, replace);
        if (value.isEmpty() || fields.putIfAbsent(key, value.get()) != null) {
          return Optional.empty();
        }
      }
      ObjectNode object = nodes.objectNode();
      fields.forEach(object::set);
      return Optional.of(object);
    }
    if (node.isArray()) {
      ArrayNode array = nodes.arrayNode(node.size());
      for (int i = 0; i < node.size(); i++) {
        Optional<JsonNode> element = rebuild(node.get(i), path + "[" + i + "]", replace);
        if (element.isEmpty()) {
          return Optional.empty();
        }
        array.add(element.get());
      }
      return Optional.of(array);
    }
    if (node.isTextual() || node.isNumber()) {
      String text = node.asText();
      String replaced = replace.apply(new GuardSubject.Part(text, Optional.of(path), false));
      return Optional.of(replaced.equals(text) ? node : nodes.textNode(replaced));
    }
    return Optional.of(node);
  }
}
