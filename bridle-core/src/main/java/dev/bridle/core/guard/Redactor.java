package dev.bridle.core.guard;

import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.guard.pii.PiiFinding;
import dev.bridle.core.guard.pii.PiiType;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Redaction for logs, traces and exception messages: every secret and personal-data type of {@link
 * PiiDetector} except plain URLs is replaced by {@code [REDACTED:TYPE]}. This applies always,
 * whatever the workflow's guards say. Tokens and keys inside URLs are still redacted (as {@code
 * API_KEY}, {@code JWT} or {@code HIGH_ENTROPY_TOKEN}); the rest of the URL stays readable, because
 * an endpoint in an error message is what an operator needs to see.
 *
 * <p>Cheap when nothing matches: one pass over the characters decides which recognizers could match
 * at all (no digits, no {@code @}, no long token: no card, e-mail or key), and only those run;
 * ordinary prose is returned after that one pass.
 */
public final class Redactor {

  private static final PiiScreen DETECTOR =
      new PiiScreen(
          EnumSet.complementOf(EnumSet.of(PiiType.URL)),
          PiiDetector.DEFAULT_ENTROPY_THRESHOLD,
          PiiDetector.DEFAULT_MIN_TOKEN_LENGTH);

  private Redactor() {}

  /** {@code text} with secrets and personal data replaced by {@code [REDACTED:TYPE]}. */
  public static String redact(String text) {
    Objects.requireNonNull(text, "text");
    List<PiiFinding> findings = DETECTOR.find(text);
    return findings.isEmpty() ? text : PiiRedactionGuard.redacted(text, findings);
  }

  /**
   * {@link #redact(String)}, then cut to at most {@code maxChars} characters with a note of how
   * many were left out; for exception messages and log lines.
   */
  public static String redact(String text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive, but was " + maxChars);
    }
    String redacted = redact(text);
    if (redacted.length() <= maxChars) {
      return redacted;
    }
    int keep = maxChars;
    if (Character.isHighSurrogate(redacted.charAt(keep - 1))) {
      keep--;
    }
    return redacted.substring(0, keep) + "… (" + (redacted.length() - keep) + " more characters)";
  }
}
