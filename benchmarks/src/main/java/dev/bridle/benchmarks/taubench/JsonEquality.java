package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * JSON trees compared as the oracle compares them: objects by their members in any order, arrays in
 * order, numbers by value ({@code 49} equals {@code 49.0}, as in Python, where the oracle was
 * written).
 */
final class JsonEquality {

  private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
      (a, b) -> {
        if (a.equals(b)) {
          return 0;
        }
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
      };

  private JsonEquality() {}

  static boolean equal(JsonNode a, JsonNode b) {
    return a.equals(NUMBERS_BY_VALUE, b);
  }
}
