package dev.bridle.cli;

import dev.bridle.core.workflow.Durations;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * A {@code --since} value: an ISO-8601 instant ({@code 2025-06-01T09:00:00Z}, an offset allowed), a
 * date (midnight UTC), or a duration meaning "that long ago" ({@code 2h}: the last two hours).
 */
final class Since {

  private Since() {}

  static Instant parse(CommandLine.Model.CommandSpec spec, String text, Clock clock) {
    String trimmed = text.strip();
    try {
      return Instant.parse(trimmed);
    } catch (DateTimeParseException notAnInstant) {
      // try the other forms
    }
    try {
      return LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      // try a duration
    }
    try {
      return clock.instant().minus(Durations.parse(trimmed));
    } catch (IllegalArgumentException notADuration) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--since: '"
              + text
              + "' is neither an instant (2025-06-01T09:00:00Z), a date (2025-06-01) nor a"
              + " duration meaning that long ago (30m, 2h, 7d)");
    }
  }

  /** An instant to the second, as the tables print it: {@code 2025-06-01 09:00:00}. */
  static String format(Instant at) {
    String text = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    return text.substring(0, Math.min(19, text.length())).replace('T', ' ');
  }
}
