package dev.bridle.core.workflow;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code rollout:} section of a workflow file: the share of a workflow's new runs this version
 * gets when several versions are served side by side (a canary). See {@code docs/rollout.md}.
 *
 * @param traffic the share of new runs; empty when the file does not say, which is only allowed
 *     when the version is served alone (it then gets every run)
 */
public record RolloutSettings(Optional<Percentage> traffic) {

  /** No {@code rollout:} section: the version is served alone. */
  public static final RolloutSettings NONE = new RolloutSettings(Optional.empty());

  public RolloutSettings {
    Objects.requireNonNull(traffic, "traffic");
  }

  /** A version that gets {@code traffic} of the workflow's new runs. */
  public static RolloutSettings traffic(Percentage traffic) {
    return new RolloutSettings(Optional.of(traffic));
  }
}
