package dev.bridle.core.workflow;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them in config: {@code 500ms}, {@code 30s}, {@code 2m}, {@code
 * 1h}, or ISO-8601 ({@code PT30S}).
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String trimmed = text.strip();
    Matcher matcher = SIMPLE.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    Duration parsed;
    try {
      parsed = Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write e.g. 500ms, 30s, 2m, 1h or PT30S");
    }
    if (parsed.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative; a duration must be >= 0");
    }
    return parsed;
  }
}
