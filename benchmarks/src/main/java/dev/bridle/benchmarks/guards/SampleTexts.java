package dev.bridle.benchmarks.guards;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic sample texts of exactly {@value #SIZE} ASCII characters (so characters = bytes),
 * the kinds of text a guard sees in a run:
 *
 * <ul>
 *   <li>{@code prose}: support-ticket English without digits, addresses or long tokens: what most
 *       tool results and answers are, and the case a fast pre-check should make cheap;
 *   <li>{@code pii}: the same prose with personal data and secrets in about one sentence of three
 *       (e-mail addresses, phone numbers, IBANs, card numbers, US SSNs, IP addresses, API keys);
 *   <li>{@code logs}: log lines dense with digits (timestamps, ids, sizes, latencies, paths), one
 *       in eight with a client IP address.
 * </ul>
 *
 * The same seed gives the same text on every machine, so runs are comparable.
 */
public final class SampleTexts {

  /** Characters (and bytes) in every sample: 64 KiB. */
  public static final int SIZE = 64 * 1024;

  /** The sample names, for JMH {@code @Param}. */
  public static final List<String> KINDS = List.of("prose", "pii", "logs");

  private static final String[] WORDS = {
    "the",
    "customer",
    "reports",
    "that",
    "their",
    "invoice",
    "was",
    "charged",
    "twice",
    "after",
    "upgrading",
    "plan",
    "and",
    "support",
    "team",
    "should",
    "check",
    "whether",
    "payment",
    "provider",
    "retried",
    "request",
    "during",
    "outage",
    "they",
    "also",
    "asked",
    "about",
    "export",
    "of",
    "time",
    "entries",
    "for",
    "last",
    "quarter",
    "because",
    "accountant",
    "needs",
    "them",
    "before",
    "closing",
    "books",
    "please",
    "confirm",
    "when",
    "refund",
    "will",
    "arrive",
    "we",
    "looked",
    "into",
    "account",
    "history",
    "found",
    "duplicate",
    "charge",
    "on",
    "same",
    "day",
    "engineering",
    "deployed",
    "fix",
    "billing",
    "service",
    "which",
    "prevents",
    "this",
    "from",
    "happening",
    "again",
    "in",
    "meantime",
    "agent",
    "drafted",
    "reply",
    "explaining",
    "next",
    "steps",
    "without",
    "promising",
    "any",
    "date",
    "or",
    "amount",
    "manager",
    "reviews",
    "it",
    "sends",
    "message",
    "to",
    "user",
    "who",
    "is",
    "waiting",
    "a",
    "calm",
    "answer",
    "project",
    "tracking",
    "seats",
    "team",
    "members",
    "were",
    "removed",
    "but",
    "subscription",
    "still",
    "counts",
    "old",
    "number",
    "until",
    "renewal",
    "what",
    "happens",
    "with",
    "unused",
    "credit",
    "is",
    "there",
    "way",
    "to",
    "merge",
    "workspaces",
    "keep",
    "reports",
    "intact",
    "mobile",
    "app",
    "crashes",
    "when",
    "opening",
    "timesheet",
    "offline",
    "sync",
    "resumes",
    "later",
    "integration",
    "calendar",
    "stopped",
    "importing",
    "events",
    "since",
    "password",
    "change"
  };

  private SampleTexts() {}

  /**
   * The sample called {@code kind}.
   *
   * @throws IllegalArgumentException naming the kind and the known ones
   */
  public static String of(String kind) {
    return switch (kind) {
      case "prose" -> prose(new Random(42), 0);
      case "pii" -> prose(new Random(42), 3);
      case "logs" -> logs(new Random(42));
      default ->
          throw new IllegalArgumentException(
              "unknown sample text '" + kind + "'; known: " + String.join(", ", KINDS));
    };
  }

  /** Sentences of 8 to 20 words; every {@code piiEvery}-th sentence (0: none) carries a value. */
  private static String prose(Random random, int piiEvery) {
    StringBuilder text = new StringBuilder(SIZE + 512);
    int sentence = 0;
    while (text.length() < SIZE) {
      int words = 8 + random.nextInt(13);
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < words; i++) {
        String word = WORDS[random.nextInt(WORDS.length)];
        if (i == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
        s.append(i == 0 ? "" : " ").append(word);
      }
      sentence++;
      if (piiEvery > 0 && sentence % piiEvery == 0) {
        s.append(' ').append(personalValue(random, sentence / piiEvery));
      }
      text.append(s).append(sentence % 6 == 0 ? ".\n\n" : ". ");
    }
    return exactly(text);
  }

  private static String personalValue(Random random, int n) {
    return switch (n % 7) {
      case 0 ->
          "write to "
              + WORDS[random.nextInt(WORDS.length)]
              + "."
              + WORDS[random.nextInt(WORDS.length)]
              + "@quillstack-mail.example";
      case 1 -> "call +44 20 7946 0" + (100 + random.nextInt(900));
      case 2 -> "pay to IBAN DE89 3704 0044 0532 0130 00";
      case 3 -> "card 4111 1111 1111 1111 exp 09/28";
      case 4 -> "SSN 536-22-" + (1000 + random.nextInt(9000));
      case 5 -> "from 203.0.113." + (1 + random.nextInt(254));
      default -> "key sk_live_" + token(random, 28);
    };
  }

  private static String logs(Random random) {
    String[] levels = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN "};
    String[] paths = {
      "/api/v1/runs/%d/events?after=%d", "/api/v1/approvals/%d", "/api/v1/runs/%d", "/metrics"
    };
    StringBuilder text = new StringBuilder(SIZE + 512);
    long millis = 1_774_256_047_000L;
    for (int line = 0; text.length() < SIZE; line++) {
      millis += random.nextInt(250);
      String path =
          String.format(
              Locale.ROOT,
              paths[random.nextInt(paths.length)],
              random.nextInt(90_000),
              random.nextInt(5_000));
      text.append(java.time.Instant.ofEpochMilli(millis))
          .append(' ')
          .append(levels[random.nextInt(levels.length)])
          .append(" [http-worker-")
          .append(random.nextInt(32))
          .append("] GET ")
          .append(path)
          .append(' ')
          .append(random.nextInt(10) == 0 ? 404 : 200)
          .append(' ')
          .append(200 + random.nextInt(20_000))
          .append("B ")
          .append(1 + random.nextInt(400))
          .append("ms req=")
          .append(hex(random, 12))
          .append(" run=")
          .append(hex(random, 8))
          .append('-')
          .append(hex(random, 4));
      if (line % 8 == 0) {
        text.append(" client=198.51.100.").append(1 + random.nextInt(254));
      }
      text.append('\n');
    }
    return exactly(text);
  }

  private static String token(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return token.toString();
  }

  private static String hex(Random random, int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }

  /** Cut at the last line or word break before {@link #SIZE}, then pad with spaces to it. */
  private static String exactly(StringBuilder text) {
    int cut = SIZE;
    while (cut > 0 && text.charAt(cut) != '\n' && text.charAt(cut) != ' ') {
      cut--;
    }
    StringBuilder out = new StringBuilder(text.substring(0, cut));
    while (out.length() < SIZE) {
      out.append(' ');
    }
    return out.toString();
  }
}
