package dev.bridle.store;

/**
 * Text as the databases can hold it. Both store text as UTF-8, in which a lone UTF-16 surrogate
 * (half of an emoji, left by a tool that cut a string in the middle) cannot be written: the driver
 * would silently turn it into {@code ?}. PostgreSQL's text also cannot hold the character NUL.
 */
final class StoredText {

  private StoredText() {}

  /**
   * An event's JSON with every lone surrogate written as a JSON escape ({@code \}{@code uD83D}).
   * JSON's structure is ASCII, so such a character can only be inside a string literal, where the
   * escape means the same character: the event decodes exactly as it was. NUL is already escaped by
   * the JSON writer.
   */
  static String json(String json) {
    int first = firstLoneSurrogate(json);
    if (first < 0) {
      return json;
    }
    StringBuilder escaped = new StringBuilder(json.length() + 16).append(json, 0, first);
    for (int i = first; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < json.length()
          && Character.isLowSurrogate(json.charAt(i + 1))) {
        escaped.append(c).append(json.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        escaped.append(String.format("\\u%04X", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * A value for a column of the run index: a lone surrogate and NUL become U+FFFD, the replacement
   * character. The index is for listing and filtering; the journal keeps the exact text.
   */
  static String indexed(String value) {
    if (value == null || (value.indexOf('\u0000') < 0 && firstLoneSurrogate(value) < 0)) {
      return value;
    }
    StringBuilder cleaned = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        cleaned.append(c).append(value.charAt(++i));
      } else if (c == '\u0000' || Character.isSurrogate(c)) {
        cleaned.append('\uFFFD');
      } else {
        cleaned.append(c);
      }
    }
    return cleaned.toString();
  }

  private static int firstLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
