package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a configurable guard does when it trips. Each guard accepts a subset; its builder says which
 * and rejects the others.
 */
public enum GuardAction {
  /** Let the text through and record a trip. */
  FLAG,
  /** Replace the offending parts with {@code [REDACTED:TYPE]} and let the rest through. */
  REDACT,
  /** Cut the text to the limit and let it through. */
  TRUNCATE,
  /** Tell the model what is wrong and let it try again. */
  REASK,
  /** Hand the decision to a human. */
  ESCALATE,
  /** Refuse. */
  BLOCK;

  /** The kebab-case name used in workflow files. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The action with this config name, in any case.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static GuardAction fromConfigName(String name) {
    for (GuardAction action : values()) {
      if (action.configName().equalsIgnoreCase(name.trim())) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "unknown guard action '" + name + "'; expected one of " + names(Arrays.asList(values())));
  }

  /** The result of this action with {@code message}; for {@link #FLAG} … {@link #BLOCK} only. */
  GuardResult result(String message) {
    return switch (this) {
      case FLAG -> GuardResult.flag(message);
      case REASK -> GuardResult.reask(message);
      case ESCALATE -> GuardResult.escalate(message);
      case BLOCK -> GuardResult.block(message);
      case REDACT, TRUNCATE ->
          throw new IllegalStateException(this + " needs the changed text, not a message");
    };
  }

  /**
   * {@code action} if it is one of {@code allowed}.
   *
   * @throws ConfigurationException naming the guard, the action and the allowed ones
   */
  static GuardAction require(String guard, GuardAction action, Collection<GuardAction> allowed) {
    if (!allowed.contains(action)) {
      throw new ConfigurationException(
          "guard '"
              + guard
              + "' does not support action '"
              + action.configName()
              + "'; use one of "
              + names(allowed));
    }
    return action;
  }

  static String names(Collection<GuardAction> actions) {
    return actions.stream().sorted().map(GuardAction::configName).collect(Collectors.joining(", "));
  }
}
