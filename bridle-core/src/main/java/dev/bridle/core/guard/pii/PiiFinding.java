package dev.bridle.core.guard.pii;

import java.util.Objects;

/**
 * One span of personal data or a secret in a text: characters {@code [start, end)}.
 *
 * @param type what was found
 * @param start index of the first character
 * @param end index after the last character
 */
public record PiiFinding(PiiType type, int start, int end) {

  public PiiFinding {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "span must satisfy 0 <= start < end, but was [" + start + ", " + end + ")");
    }
  }

  /** The number of characters in the span. */
  public int length() {
    return end - start;
  }

  /** The characters of {@code text} this finding covers. */
  public String textIn(String text) {
    return text.substring(start, end);
  }

  boolean overlaps(PiiFinding other) {
    return start < other.end && other.start < end;
  }
}
