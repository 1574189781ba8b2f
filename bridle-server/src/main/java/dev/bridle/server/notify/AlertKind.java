package dev.bridle.server.notify;

/**
 * Control-plane events a {@link WebhookNotifier} reports besides the run loop's {@link
 * dev.bridle.core.control.Notifier.Kind}s.
 */
public enum AlertKind {
  /** Spending crossed a budget's soft threshold. */
  BUDGET_ALERT("Budget alert"),
  /** A quality breaker opened or closed. */
  BREAKER_CHANGED("Breaker changed"),
  /** A kill switch was turned on or off. */
  KILL_SWITCH_CHANGED("Kill switch changed");

  private final String title;

  AlertKind(String title) {
    this.title = title;
  }

  /** The heading a person reads. */
  public String title() {
    return title;
  }
}
