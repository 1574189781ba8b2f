package dev.bridle.server;

import dev.bridle.core.deploy.ReadinessSettings;
import java.util.Map;
import java.util.Optional;

/**
 * The readiness thresholds of the workflow versions this node serves, as their files' {@code
 * promotion:} sections say ({@link BridleServer.Builder#promotion}): the deployment endpoints
 * assess a version with its own thresholds.
 */
final class PromotionThresholds {

  private final Map<String, ReadinessSettings> byVersion;
  private final ServedWorkflows workflows;

  /**
   * @param byVersion the thresholds by {@code workflow@version}
   * @param workflows what this node serves, for the version that stands for a workflow
   */
  PromotionThresholds(Map<String, ReadinessSettings> byVersion, ServedWorkflows workflows) {
    this.byVersion = Map.copyOf(byVersion);
    this.workflows = workflows;
  }

  /**
   * The thresholds of {@code version} of {@code workflow}: its own when this node serves it with
   * thresholds, else those of the version that stands for the workflow here (a version not served
   * here, or no evidence yet), else {@link ReadinessSettings#DEFAULT}.
   */
  ReadinessSettings of(String workflow, String version) {
    ReadinessSettings own = byVersion.get(workflow + "@" + version);
    if (own != null) {
      return own;
    }
    return primary(workflow).orElse(ReadinessSettings.DEFAULT);
  }

  private Optional<ReadinessSettings> primary(String workflow) {
    if (!workflows.serves(workflow)) {
      return Optional.empty();
    }
    return workflows.agent(workflow).map(agent -> byVersion.get(workflow + "@" + agent.version()));
  }
}
