package dev.bridle.core.guard;

import java.text.Normalizer;

/**
 * Text prepared for matching, so that look-alike tricks do not slip past term lists: compatibility
 * forms are folded (NFKC: full-width letters, ligatures) and invisible format characters
 * (zero-width spaces and joiners, bidi controls, soft hyphens, tag characters) are removed.
 */
final class MatchText {

  private MatchText() {}

  /** {@code text} folded to NFKC without format characters; {@code text} itself if unchanged. */
  static String of(String text) {
    String folded =
        Normalizer.isNormalized(text, Normalizer.Form.NFKC)
            ? text
            : Normalizer.normalize(text, Normalizer.Form.NFKC);
    int i = 0;
    while (i < folded.length()) {
      int cp = folded.codePointAt(i);
      if (Character.getType(cp) == Character.FORMAT) {
        return withoutFormatCharacters(folded, i);
      }
      i += Character.charCount(cp);
    }
    return folded;
  }

  private static String withoutFormatCharacters(String text, int from) {
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, from);
    int i = from;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (Character.getType(cp) != Character.FORMAT) {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
