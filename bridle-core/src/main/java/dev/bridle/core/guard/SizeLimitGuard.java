package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Limits the length of text per stage, in characters (Unicode code points): the task's size, the
 * model's output length, tool arguments and tool results. Put it first in a chain: it is the
 * cheapest guard and it keeps oversized text away from the others.
 *
 * <p>What happens over the limit depends on the stage unless configured: the task is blocked (there
 * is no model to ask yet), model output and tool arguments are reasked (the model is told the
 * length and the limit), and tool results are truncated with a note of how much was cut, so the
 * model sees that the result is incomplete.
 */
public final class SizeLimitGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "size-limit";

  /** The smallest limit that can truncate: room for some text and the truncation note. */
  public static final int MIN_TRUNCATE_LIMIT = 100;

  private record Limit(int maxChars, GuardAction action) {}

  private final String name;
  private final Map<GuardStage, Limit> limits;

  private SizeLimitGuard(Builder b) {
    this.name = b.name;
    this.limits = Map.copyOf(b.limits);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The action used for {@code stage} when none is configured. */
  public static GuardAction defaultAction(GuardStage stage) {
    return switch (stage) {
      case INPUT -> GuardAction.BLOCK;
      case MODEL_OUTPUT, TOOL_ARGUMENTS -> GuardAction.REASK;
      case TOOL_RESULT -> GuardAction.TRUNCATE;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<GuardStage> stages() {
    return limits.keySet();
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    Limit limit = limits.get(subject.stage());
    String text = subject.text();
    if (text.length() <= limit.maxChars()) {
      return GuardResult.pass();
    }
    int length = text.codePointCount(0, text.length());
    if (length <= limit.maxChars()) {
      return GuardResult.pass();
    }
    String measured =
        subject.describe()
            + " is "
            + String.format("%,d", length)
            + " characters long; the limit is "
            + String.format("%,d", limit.maxChars());
    return switch (limit.action()) {
      case TRUNCATE ->
          GuardResult.redact(
              truncated(text, length, limit.maxChars()), measured + ", truncated to the limit");
      case REASK ->
          GuardResult.reask(
              Character.toUpperCase(measured.charAt(0))
                  + measured.substring(1)
                  + ". Make it shorter and try again.");
      default -> limit.action().result(measured);
    };
  }

  /** Room for the truncation note: two 13-character numbers and the words around them. */
  private static final int NOTE_ROOM = 64;

  /** The first code points of {@code text} plus a note; at most {@code maxChars} in all. */
  private static String truncated(String text, int length, int maxChars) {
    int keep = maxChars - NOTE_ROOM;
    int end = text.offsetByCodePoints(0, keep);
    return text.substring(0, end)
        + "\n[truncated: the first "
        + String.format("%,d", keep)
        + " of "
        + String.format("%,d", length)
        + " characters]";
  }

  /** Builds a {@link SizeLimitGuard}; at least one stage needs a limit. */
  public static final class Builder {
    private String name = NAME;
    private final Map<GuardStage, Limit> limits = new EnumMap<>(GuardStage.class);

    private Builder() {}

    /** The guard's name in trips (default {@code size-limit}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** At most {@code maxChars} characters at {@code stage}, with the stage's default action. */
    public Builder limit(GuardStage stage, int maxChars) {
      return limit(stage, maxChars, defaultAction(stage));
    }

    /**
     * At most {@code maxChars} characters at {@code stage}; over it, {@code action}: {@code BLOCK},
     * {@code ESCALATE}, {@code FLAG}, {@code REASK} (not at {@code input}) or {@code TRUNCATE}
     * (only at {@code tool-result}, limit at least {@value #MIN_TRUNCATE_LIMIT}).
     */
    public Builder limit(GuardStage stage, int maxChars, GuardAction action) {
      String where = "guard '" + name + "': the " + stage.configName() + " limit";
      if (maxChars < 1) {
        throw new ConfigurationException(
            where + " must be at least 1 character, but was " + maxChars);
      }
      GuardAction allowedAction =
          switch (stage) {
            case INPUT ->
                GuardAction.require(
                    name,
                    action,
                    List.of(GuardAction.BLOCK, GuardAction.ESCALATE, GuardAction.FLAG));
            case MODEL_OUTPUT, TOOL_ARGUMENTS ->
                GuardAction.require(
                    name,
                    action,
                    List.of(
                        GuardAction.REASK,
                        GuardAction.BLOCK,
                        GuardAction.ESCALATE,
                        GuardAction.FLAG));
            case TOOL_RESULT ->
                GuardAction.require(
                    name,
                    action,
                    List.of(
                        GuardAction.TRUNCATE,
                        GuardAction.REASK,
                        GuardAction.BLOCK,
                        GuardAction.ESCALATE,
                        GuardAction.FLAG));
          };
      if (allowedAction == GuardAction.TRUNCATE && maxChars < MIN_TRUNCATE_LIMIT) {
        throw new ConfigurationException(
            where
                + " must be at least "
                + MIN_TRUNCATE_LIMIT
                + " to truncate, but was "
                + maxChars);
      }
      limits.put(stage, new Limit(maxChars, allowedAction));
      return this;
    }

    public SizeLimitGuard build() {
      if (limits.isEmpty()) {
        throw new ConfigurationException(
            "guard '" + name + "' needs a limit for at least one stage");
      }
      return new SizeLimitGuard(this);
    }
  }
}
