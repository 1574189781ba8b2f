package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.limits.RateLimit;
import java.time.Duration;

/**
 * One entry of a workflow file's {@code rate-limits:} list as written, bound by Jackson: {@code
 * {scope: tool, tools: "send_*", per: 1m, max: 10, on-limit: wait, max-wait: 5s}}.
 */
record RateLimitEntry(
    @JsonProperty(value = "scope", required = true) RateLimit.Scope scope,
    @JsonProperty("tools") String tools,
    @JsonProperty(value = "per", required = true) Duration per,
    @JsonProperty(value = "max", required = true) Long max,
    @JsonProperty("on-limit") RateLimit.OnLimit onLimit,
    @JsonProperty("max-wait") Duration maxWait) {

  RateLimitEntry {
    if (scope == null) {
      throw new IllegalArgumentException(
          "a rate limit needs a scope: global, workflow, user or tool");
    }
    if (tools != null && tools.isBlank()) {
      throw new IllegalArgumentException(
          "tools must be a glob over tool names; leave it out for every tool");
    }
    if (per == null || per.isZero()) {
      throw new IllegalArgumentException("per must be a positive duration such as 1m");
    }
    if (max == null || max < 1) {
      throw new IllegalArgumentException("max must be at least 1, but was " + max);
    }
    if (onLimit == RateLimit.OnLimit.WAIT && (maxWait == null || maxWait.isZero())) {
      throw new IllegalArgumentException(
          "on-limit: wait needs max-wait, the longest a call may wait for its turn (e.g. 5s)");
    }
    if (onLimit != RateLimit.OnLimit.WAIT && maxWait != null) {
      throw new IllegalArgumentException(
          "max-wait belongs to on-limit: wait; without it a call over the limit is refused at"
              + " once");
    }
  }

  RateLimit toRateLimit() {
    return new RateLimit(
        scope,
        tools == null ? "*" : tools.strip(),
        max,
        per,
        onLimit == null ? RateLimit.OnLimit.REFUSE : onLimit,
        maxWait == null ? Duration.ZERO : maxWait);
  }
}
