package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code rollout:} section as written, bound by Jackson; {@link #toSettings} checks it and
 * names the line of a bad value.
 */
record RolloutSection(@JsonProperty(value = "traffic", required = true) JsonNode traffic) {

  RolloutSettings toSettings(SourceFile source) {
    return RolloutSettings.traffic(source.percentage("rollout", "traffic", traffic));
  }
}
