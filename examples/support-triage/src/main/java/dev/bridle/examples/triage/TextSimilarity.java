package dev.bridle.examples.triage;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small, deterministic text similarity: the Jaccard index of two sets of terms. A term is a
 * lower-cased word of letters and digits that is not a stop word, with a plural {@code s} removed
 * ("invoices" and "invoice" are one term). No model, no randomness: the same texts always get the
 * same score.
 */
final class TextSimilarity {

  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "about", "after", "again", "all", "already", "also", "am", "an", "and", "any", "are",
          "as", "at", "be", "been", "before", "but", "by", "can", "cannot", "could", "did", "do",
          "does", "dont", "for", "from", "get", "got", "had", "has", "have", "hello", "hi", "how",
          "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "no", "not", "now", "of",
          "on", "or", "our", "out", "please", "same", "since", "so", "some", "still", "thank",
          "thanks", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
          "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while",
          "who", "why", "will", "with", "would", "you", "your");

  private TextSimilarity() {}

  /** The terms of {@code text}, sorted. */
  static Set<String> terms(String text) {
    Set<String> terms = new TreeSet<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (word.length() >= 2 && !STOP_WORDS.contains(word)) {
        terms.add(withoutPlural(word));
      }
    }
    return terms;
  }

  /** |a ∩ b| / |a ∪ b|; 0 when both are empty. */
  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    Set<String> common = new HashSet<>(a);
    common.retainAll(b);
    int union = a.size() + b.size() - common.size();
    return (double) common.size() / union;
  }

  private static String withoutPlural(String word) {
    boolean plural = word.length() > 3 && word.endsWith("s") && !endsWithAny(word, "ss", "us");
    return plural ? word.substring(0, word.length() - 1) : word;
  }

  private static boolean endsWithAny(String word, String... suffixes) {
    return Arrays.stream(suffixes).anyMatch(word::endsWith);
  }
}
