package dev.bridle.store;

import java.time.Instant;

/**
 * Times are stored as nanoseconds since the epoch (UTC) in a {@code BIGINT}: exact (the index must
 * equal core's {@link dev.bridle.core.journal.RunSummary} to the nanosecond, and PostgreSQL's
 * timestamps keep only microseconds), compact, ordered, and the same in SQLite and PostgreSQL. The
 * range is the years 1677 to 2262.
 */
final class Times {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Times() {}

  /** The stored form of {@code time}; an event time outside the range is refused. */
  static long toNanos(Instant time) {
    try {
      return Math.addExact(
          Math.multiplyExact(time.getEpochSecond(), NANOS_PER_SECOND), time.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "time must be between the years 1677 and 2262 to be stored, but was " + time, e);
    }
  }

  /** The stored form of {@code time} for a comparison, clamped into the range. */
  static long toNanosClamped(Instant time) {
    if (time.isBefore(Instant.ofEpochSecond(0, Long.MIN_VALUE))) {
      return Long.MIN_VALUE;
    }
    if (time.isAfter(Instant.ofEpochSecond(0, Long.MAX_VALUE))) {
      return Long.MAX_VALUE;
    }
    return toNanos(time);
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }
}
