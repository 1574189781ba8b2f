package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terms matched as whole words, case-insensitively, with any run of white space between the words
 * of a multi-word term. Text is matched after {@link MatchText} folding, so zero-width characters
 * and full-width letters do not hide a term.
 */
final class TermList {

  private static final String WORD = "[\\p{L}\\p{N}_]";

  private final List<String> terms;
  private final Pattern pattern;

  private TermList(List<String> terms, Pattern pattern) {
    this.terms = terms;
    this.pattern = pattern;
  }

  /**
   * @param what names the list in errors, e.g. "guard 'blocklist': terms"
   * @throws ConfigurationException when the list is empty or a term is blank
   */
  static TermList of(String what, Collection<String> terms) {
    if (terms.isEmpty()) {
      throw new ConfigurationException(what + " must not be empty");
    }
    List<String> kept = new ArrayList<>();
    for (String term : new LinkedHashSet<>(terms)) {
      if (term == null || term.isBlank()) {
        throw new ConfigurationException(what + " must not contain a blank term");
      }
      kept.add(term.strip());
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt((Integer i) -> kept.get(i).length()).reversed());
    StringBuilder regex = new StringBuilder();
    for (int i : order) {
      if (!regex.isEmpty()) {
        regex.append('|');
      }
      regex.append("(?<t").append(i).append('>').append(termRegex(kept.get(i))).append(')');
    }
    return new TermList(
        List.copyOf(kept),
        Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  private static String termRegex(String term) {
    String folded = MatchText.of(term);
    StringBuilder regex = new StringBuilder();
    if (isWordChar(folded.codePointAt(0))) {
      regex.append("(?<!").append(WORD).append(')');
    }
    String[] words = folded.split("\\s+");
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        regex.append("\\s+");
      }
      regex.append(Pattern.quote(words[i]));
    }
    if (isWordChar(folded.codePointBefore(folded.length()))) {
      regex.append("(?!").append(WORD).append(')');
    }
    return regex.toString();
  }

  private static boolean isWordChar(int cp) {
    return Character.isLetterOrDigit(cp) || cp == '_';
  }

  /** The configured terms, in configuration order. */
  List<String> terms() {
    return terms;
  }

  /** The configured terms found in {@code text}, in order of first appearance, each once. */
  List<String> find(String text) {
    Matcher m = pattern.matcher(MatchText.of(text));
    Set<String> found = new LinkedHashSet<>();
    while (m.find()) {
      for (int i = 0; i < terms.size(); i++) {
        if (m.start("t" + i) >= 0) {
          found.add(terms.get(i));
          break;
        }
      }
    }
    return List.copyOf(found);
  }
}
