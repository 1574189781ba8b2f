package dev.bridle.core.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bridle.core.internal.Json;
import java.util.Optional;

/**
 * JSON normalised for comparing two calls' arguments: object keys sorted at every level, no
 * whitespace, and numbers by value ({@code 1}, {@code 1.0} and {@code 1e0} are all {@code 1}).
 * Strings, booleans, nulls and the order of array elements are compared as they are.
 */
final class CanonicalJson {

  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private CanonicalJson() {}

  /** The normalised text of {@code node}. */
  static String of(JsonNode node) {
    return Json.canonicalByValue(node);
  }

  /** The normalised text of JSON {@code text}; empty when it is not JSON. */
  static Optional<String> ofText(String text) {
    return parse(text).map(CanonicalJson::of);
  }

  /** {@code text} as a tree, numbers kept exact; empty when it is not JSON. */
  static Optional<JsonNode> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(READER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
