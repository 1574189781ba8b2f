package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code rollout:} section as written, bound by Jackson; {@link #toSettings} checks it and
 * names the line of a bad value.
 */
record RolloutSection(@JsonProperty(value = "traffic", required = true) JsonNode traffic) {

  RolloutSettings toSettings(SourceFile source) {
    return RolloutSettings.traffic(percentage(source, "rollout", "traffic", traffic));
  }

  /**
   * The percentage at {@code section.key}, written as text ({@code 10%}); a bare number is refused
   * with a hint. A problem points at the value's line and names the key and its section.
   */
  static Percentage percentage(SourceFile source, String section, String key, JsonNode value) {
    String path = section + "." + key;
    String where = " in '" + section + "'";
    if (value == null || value.isNull()) {
      throw SourceFile.at(
          source.position(path), key + " needs a percentage such as 10%, but is empty" + where);
    }
    if (!value.isTextual()) {
      throw SourceFile.at(
          source.position(path),
          key
              + " must be a percentage with a % sign such as 10% or 12.5%, but was "
              + value
              + where);
    }
    try {
      return Percentage.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw SourceFile.at(source.position(path), key + " " + e.getMessage() + where);
    }
  }
}
