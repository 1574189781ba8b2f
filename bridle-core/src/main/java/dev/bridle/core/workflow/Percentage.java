package dev.bridle.core.workflow;

import dev.bridle.core.journal.RunId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A share of runs, from 0% to 100% in steps of 0.01%, as a workflow file writes it ({@code 10%},
 * {@code 12.5%}, {@code 0.25%}): the traffic of a version ({@code rollout.traffic}) or the runs an
 * online evaluation scores ({@code evaluation.sample}).
 *
 * <p>Which runs fall in a share is decided by {@link #bucket(String, RunId)}: a run's place in
 * 0..9999, from a hash of its id, so every node decides the same for the same run, and asking again
 * (after a crash, on another node) gives the same answer.
 *
 * @param basisPoints hundredths of a percent, 0 to 10,000
 */
public record Percentage(int basisPoints) {

  /** The number of buckets runs are spread over: one per basis point. */
  public static final int BUCKETS = 10_000;

  public static final Percentage NONE = new Percentage(0);
  public static final Percentage ALL = new Percentage(BUCKETS);

  private static final Pattern TEXT = Pattern.compile("(\\d{1,3})(?:\\.(\\d{1,2}))?\\s*%");

  public Percentage {
    if (basisPoints < 0 || basisPoints > BUCKETS) {
      throw new IllegalArgumentException(
          "a percentage must be between 0% and 100%, but was " + basisPoints / 100.0 + "%");
    }
  }

  /**
   * Reads {@code 10%}, {@code 12.5%} or {@code 0.25%}.
   *
   * @throws IllegalArgumentException naming the rule and the value when it is not one
   */
  public static Percentage parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be a percentage such as 10% or 12.5% (at most two decimals), but was '"
              + text
              + "'");
    }
    String decimals = m.group(2) == null ? "" : m.group(2);
    int points =
        Integer.parseInt(m.group(1)) * 100
            + (decimals.isEmpty() ? 0 : Integer.parseInt((decimals + "0").substring(0, 2)));
    if (points > BUCKETS) {
      throw new IllegalArgumentException("must be at most 100%, but was '" + text + "'");
    }
    return new Percentage(points);
  }

  /**
   * Whether the run is in this share for {@code purpose}: its bucket for that purpose is below the
   * share. Different purposes spread runs independently, so a 10% canary and a 10% evaluation
   * sample are not the same runs.
   */
  public boolean includes(String purpose, RunId runId) {
    return bucket(purpose, runId) < basisPoints;
  }

  /**
   * The run's place in {@code 0 .. BUCKETS - 1} for {@code purpose} (e.g. {@code
   * rollout:support-triage}, {@code evaluation:support-triage}): the first eight bytes of the
   * SHA-256 of {@code purpose + "/" + runId}, modulo {@link #BUCKETS}. Deterministic, and uniform
   * enough for any share.
   */
  public static int bucket(String purpose, RunId runId) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest((purpose + "/" + runId.value()).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return (int) Math.floorMod(value, (long) BUCKETS);
  }

  /** {@code 10%}, {@code 12.5%}, {@code 0.25%}. */
  @Override
  public String toString() {
    return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
  }
}
