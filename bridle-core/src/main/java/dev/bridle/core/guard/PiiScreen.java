package dev.bridle.core.guard;

import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.guard.pii.PiiFinding;
import dev.bridle.core.guard.pii.PiiType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PiiDetector} behind a one-pass screen. The screen counts what every finding needs
 * (digits for cards, SSNs and phones, {@code @} for e-mail, colons for IPv6, a long run of token
 * characters for keys and high-entropy tokens, the literal starts of JWTs and PEM keys) and runs
 * only the recognizers that can match. Text without any of that, such as ordinary prose, costs one
 * scan of its characters. The screen never skips a type that could match: each condition is implied
 * by the corresponding recognizer's pattern. Thread-safe.
 */
final class PiiScreen {

  /** Detectors are cached per set of types that can match; past this many, the full one is used. */
  private static final int MAX_CACHED = 256;

  private final Set<PiiType> types;
  private final double entropyThreshold;
  private final int minTokenLength;
  private final PiiDetector full;
  private final Map<Set<PiiType>, PiiDetector> detectors = new ConcurrentHashMap<>();

  PiiScreen(Set<PiiType> types, double entropyThreshold, int minTokenLength) {
    this.types = Set.copyOf(types);
    this.entropyThreshold = entropyThreshold;
    this.minTokenLength = minTokenLength;
    this.full = detector(this.types);
  }

  /** Non-overlapping findings, ordered by start; the same as the full detector's. */
  List<PiiFinding> find(String text) {
    Set<PiiType> possible = possibleTypes(text);
    possible.retainAll(types);
    if (possible.isEmpty()) {
      return List.of();
    }
    if (possible.size() == types.size()) {
      return full.find(text);
    }
    PiiDetector detector = detectors.get(possible);
    if (detector == null) {
      if (detectors.size() >= MAX_CACHED) {
        return full.find(text);
      }
      detector = detectors.computeIfAbsent(EnumSet.copyOf(possible), this::detector);
    }
    return detector.find(text);
  }

  private PiiDetector detector(Set<PiiType> only) {
    return PiiDetector.builder()
        .types(only)
        .entropyThreshold(entropyThreshold)
        .minTokenLength(minTokenLength)
        .build();
  }

  /** The types whose recognizers can match {@code text}, judged in one pass over it. */
  EnumSet<PiiType> possibleTypes(String text) {
    int digits = 0;
    int colons = 0;
    int dots = 0;
    boolean at = false;
    int run = 0;
    int longestRun = 0;
    boolean jwtStart = false;
    boolean pemStart = false;
    boolean webStart = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == ':') {
        colons++;
        if (i + 2 < text.length() && text.charAt(i + 1) == '/' && text.charAt(i + 2) == '/') {
          webStart = true;
        }
      } else if (c == '.') {
        dots++;
      } else if (c == '@') {
        at = true;
      } else if (c == 'e') {
        jwtStart |= text.startsWith("eyJ", i);
      } else if (c == '-') {
        pemStart |= text.startsWith("-----BEGIN ", i);
      } else if (c == 'w' || c == 'W') {
        webStart |= text.regionMatches(true, i, "www.", 0, 4);
      }
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '_'
          || c == '+'
          || c == '/'
          || c == '='
          || c == '-') {
        run++;
        if (run > longestRun) {
          longestRun = run;
        }
      } else {
        run = 0;
      }
    }
    EnumSet<PiiType> possible = EnumSet.noneOf(PiiType.class);
    if (pemStart) {
      possible.add(PiiType.PRIVATE_KEY);
    }
    if (jwtStart) {
      possible.add(PiiType.JWT);
    }
    if (longestRun >= 15) {
      possible.add(PiiType.API_KEY);
    }
    if (digits >= 13) {
      possible.add(PiiType.CREDIT_CARD);
    }
    if (digits >= 2) {
      possible.add(PiiType.IBAN);
    }
    if (digits >= 9) {
      possible.add(PiiType.US_SSN);
    }
    if (digits >= 1 && longestRun >= 14) {
      possible.add(PiiType.CRYPTO);
    }
    if (at) {
      possible.add(PiiType.EMAIL);
    }
    if (webStart) {
      possible.add(PiiType.URL);
    }
    if (digits >= 4 && dots >= 3 || colons >= 2) {
      possible.add(PiiType.IP_ADDRESS);
    }
    if (digits >= 8) {
      possible.add(PiiType.PHONE);
    }
    if (digits >= 1 && longestRun >= Math.max(minTokenLength, 16)) {
      possible.add(PiiType.HIGH_ENTROPY_TOKEN);
    }
    return possible;
  }
}
