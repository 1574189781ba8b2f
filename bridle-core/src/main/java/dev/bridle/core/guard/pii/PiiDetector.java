package dev.bridle.core.guard.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds and redacts personal data and secrets in text. Immutable and thread-safe.
 *
 * <p>Overlapping candidates are resolved by keeping the longest span; of two spans of equal length
 * the more specific type (earlier in {@link PiiType}) wins.
 *
 * <p><b>High-entropy fallback.</b> A token is a maximal run of {@code [A-Za-z0-9_+/-]} with up to
 * two trailing {@code =}. It is reported as {@link PiiType#HIGH_ENTROPY_TOKEN} when it is at least
 * {@code min-token-length} characters long (default 24), contains an upper-case letter, a
 * lower-case letter and a digit, is not built from words (every run of letters at least three long,
 * as in {@code AbstractSingletonProxyFactoryBean2}), and its Shannon entropy {@code H = -Σ p(c)
 * log2 p(c)} over its characters is at least {@code entropy-threshold} bits per character (default
 * 4.0). Random base62/base64 strings of 24+ characters score 4.2–5.5; English words and paths score
 * below 4; long camelCase identifiers can score above 4 and are excluded by the word rule; hex
 * digests (git SHAs, SHA-256) top out just under 4 and are not reported.
 */
public final class PiiDetector {

  /** Default Shannon entropy threshold in bits per character. */
  public static final double DEFAULT_ENTROPY_THRESHOLD = 4.0;

  /** Default minimum length of a high-entropy token. */
  public static final int DEFAULT_MIN_TOKEN_LENGTH = 24;

  private static final PiiDetector STANDARD = builder().build();

  private final Set<PiiType> types;
  private final List<Recognizer> recognizers;

  private PiiDetector(Builder builder) {
    this.types = Set.copyOf(builder.types);
    this.recognizers =
        Recognizers.standard(builder.entropyThreshold, builder.minTokenLength).stream()
            .filter(r -> types.contains(r.type()))
            .toList();
  }

  /** A detector for every {@link PiiType} with default settings. */
  public static PiiDetector standard() {
    return STANDARD;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The types this detector reports. */
  public Set<PiiType> types() {
    return types;
  }

  /** Non-overlapping findings in {@code text}, ordered by start. */
  public List<PiiFinding> find(String text) {
    Objects.requireNonNull(text, "text");
    List<PiiFinding> candidates = new ArrayList<>();
    for (Recognizer recognizer : recognizers) {
      recognizer.scan(text, candidates);
    }
    candidates.sort(
        Comparator.comparingInt(PiiFinding::length)
            .reversed()
            .thenComparing(PiiFinding::type)
            .thenComparingInt(PiiFinding::start));
    TreeMap<Integer, PiiFinding> kept = new TreeMap<>();
    for (PiiFinding candidate : candidates) {
      Map.Entry<Integer, PiiFinding> before = kept.floorEntry(candidate.start());
      Map.Entry<Integer, PiiFinding> after = kept.ceilingEntry(candidate.start());
      if ((before == null || !before.getValue().overlaps(candidate))
          && (after == null || !after.getValue().overlaps(candidate))) {
        kept.put(candidate.start(), candidate);
      }
    }
    return List.copyOf(kept.values());
  }

  /** {@code text} with every finding replaced by {@code [REDACTED:TYPE]}. */
  public String redact(String text) {
    List<PiiFinding> findings = find(text);
    if (findings.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (PiiFinding finding : findings) {
      out.append(text, at, finding.start())
          .append("[REDACTED:")
          .append(finding.type().name())
          .append(']');
      at = finding.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /** Builds a {@link PiiDetector}; every setting has a default. */
  public static final class Builder {
    private final Set<PiiType> types = EnumSet.allOf(PiiType.class);
    private double entropyThreshold = DEFAULT_ENTROPY_THRESHOLD;
    private int minTokenLength = DEFAULT_MIN_TOKEN_LENGTH;

    private Builder() {}

    /** Report only these types (default: all). */
    public Builder types(Set<PiiType> only) {
      Objects.requireNonNull(only, "types");
      types.clear();
      types.addAll(only);
      return this;
    }

    /** Do not report these types. */
    public Builder without(PiiType... excluded) {
      for (PiiType type : excluded) {
        types.remove(Objects.requireNonNull(type, "type"));
      }
      return this;
    }

    /** Minimum Shannon entropy, in bits per character, of a high-entropy token (default 4.0). */
    public Builder entropyThreshold(double bitsPerCharacter) {
      this.entropyThreshold = bitsPerCharacter;
      return this;
    }

    /** Minimum length of a high-entropy token (default 24). */
    public Builder minTokenLength(int characters) {
      this.minTokenLength = characters;
      return this;
    }

    public PiiDetector build() {
      if (types.isEmpty()) {
        throw new IllegalArgumentException("types must name at least one type, but was empty");
      }
      if (!(entropyThreshold > 0 && entropyThreshold <= 8)) {
        throw new IllegalArgumentException(
            "entropy-threshold must be in (0, 8] bits per character, but was " + entropyThreshold);
      }
      if (minTokenLength < 16 || minTokenLength > 4096) {
        throw new IllegalArgumentException(
            "min-token-length must be between 16 and 4096, but was " + minTokenLength);
      }
      return new PiiDetector(this);
    }
  }
}
