package dev.bridle.server.notify;

import dev.bridle.core.control.Notifier;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each notification to several notifiers in order (say the log and a webhook). One that
 * throws is logged and skipped; the others still get the notification.
 */
public final class FanOutNotifier implements Notifier {

  private static final Logger LOG = Logger.getLogger(FanOutNotifier.class.getName());

  private final List<Notifier> notifiers;

  private FanOutNotifier(List<Notifier> notifiers) {
    this.notifiers = notifiers;
  }

  /**
   * A notifier that sends to each of {@code notifiers}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public static FanOutNotifier of(List<Notifier> notifiers) {
    Objects.requireNonNull(notifiers, "notifiers");
    if (notifiers.isEmpty()) {
      throw new IllegalArgumentException(
          "notifiers must name at least one notifier, but was empty");
    }
    for (int i = 0; i < notifiers.size(); i++) {
      Objects.requireNonNull(notifiers.get(i), "notifiers[" + i + "]");
    }
    return new FanOutNotifier(List.copyOf(notifiers));
  }

  /** {@link #of(List)} over the arguments. */
  public static FanOutNotifier of(Notifier... notifiers) {
    return of(List.of(notifiers));
  }

  @Override
  public void notify(Notification notification) {
    for (Notifier notifier : notifiers) {
      try {
        notifier.notify(notification);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "notifier "
                + notifier.getClass().getName()
                + " failed for "
                + notification.kind()
                + " of run "
                + notification.runId()
                + ": "
                + e.getClass().getSimpleName());
      }
    }
  }
}
