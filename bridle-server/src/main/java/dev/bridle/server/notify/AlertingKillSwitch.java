package dev.bridle.server.notify;

import dev.bridle.core.control.KillSwitch;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KillSwitch} that reports each change made through it ({@link
 * AlertKind#KILL_SWITCH_CHANGED}) to a {@link WebhookNotifier}, after the change is stored. Changes
 * made elsewhere (another node, {@code bridle kill}) are not seen.
 */
public final class AlertingKillSwitch implements KillSwitch {

  private final KillSwitch delegate;
  private final WebhookNotifier notifier;

  /** Wraps {@code delegate}; reads and checks go straight to it. */
  public AlertingKillSwitch(KillSwitch delegate, WebhookNotifier notifier) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
  }

  @Override
  public void kill(Scope scope, String target, String by, String reason) {
    delegate.kill(scope, target, by, reason);
    notifier.alert(
        AlertKind.KILL_SWITCH_CHANGED,
        describe(scope, target)
            + " turned ON by "
            + by
            + (reason == null || reason.isBlank() ? "" : ": " + reason));
  }

  @Override
  public boolean revive(Scope scope, String target, String by) {
    boolean wasOn = delegate.revive(scope, target, by);
    if (wasOn) {
      notifier.alert(
          AlertKind.KILL_SWITCH_CHANGED, describe(scope, target) + " turned OFF by " + by);
    }
    return wasOn;
  }

  @Override
  public List<Kill> active() {
    return delegate.active();
  }

  @Override
  public Optional<Kill> check(String workflow, String agent) {
    return delegate.check(workflow, agent);
  }

  private static String describe(Scope scope, String target) {
    return switch (scope) {
      case GLOBAL -> "The global kill switch";
      case WORKFLOW -> "The kill switch of workflow " + target;
      case AGENT -> "The kill switch of agent " + target;
    };
  }
}
