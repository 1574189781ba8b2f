package dev.bridle.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.guard.pii.PiiFinding;
import dev.bridle.core.guard.pii.PiiType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recall and precision of {@link PiiDetector#standard()} on Presidio's pattern-recognizer test
 * cases ({@code presidio_recognizer_cases.jsonl}), per Presidio entity that maps to a Bridle type.
 *
 * <p>Span-level scoring: a finding of the mapped type is a true positive when it overlaps an
 * expected span; an expected span is recalled when a finding of the mapped type overlaps it.
 * Positive cases without expected spans (Presidio context-only tests) are left out of the scores.
 */
public final class PiiBenchmark {

  private static final Map<String, PiiType> MAPPING = new LinkedHashMap<>();

  static {
    MAPPING.put("CREDIT_CARD", PiiType.CREDIT_CARD);
    MAPPING.put("IBAN_CODE", PiiType.IBAN);
    MAPPING.put("EMAIL_ADDRESS", PiiType.EMAIL);
    MAPPING.put("PHONE_NUMBER", PiiType.PHONE);
    MAPPING.put("PH_MOBILE_NUMBER", PiiType.PHONE);
    MAPPING.put("TR_PHONE_NUMBER", PiiType.PHONE);
    MAPPING.put("IP_ADDRESS", PiiType.IP_ADDRESS);
    MAPPING.put("US_SSN", PiiType.US_SSN);
    MAPPING.put("URL", PiiType.URL);
    MAPPING.put("CRYPTO", PiiType.CRYPTO);
  }

  private static final class Tally {
    int positives;
    int negatives;
    int unscored;
    int expected;
    int recalled;
    int findings;
    int truePositives;
    int negativeFalsePositives;
    int negativeOtherFindings;
  }

  private PiiBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/benchmarks/presidio-dev");
    Path cases = folder.resolve("presidio_recognizer_cases.jsonl");
    if (!Files.isRegularFile(cases)) {
      System.err.println(
          "presidio benchmark data not found: "
              + cases.toAbsolutePath()
              + " (pass the presidio-dev folder, e.g. ../shared/benchmarks/presidio-dev)");
      System.exit(2);
    }
    PiiDetector detector = PiiDetector.standard();
    ObjectMapper json = new ObjectMapper();
    Map<String, Tally> tallies = new LinkedHashMap<>();
    MAPPING.keySet().forEach(k -> tallies.put(k, new Tally()));
    long started = System.nanoTime();
    for (String line : Files.readAllLines(cases)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = json.readTree(line);
      String entity = node.path("entities").path(0).asText();
      Tally tally = tallies.get(entity);
      if (tally == null) {
        continue;
      }
      PiiType type = MAPPING.get(entity);
      String text = node.path("text").asText();
      List<int[]> expected = new ArrayList<>();
      node.path("expected_spans")
          .forEach(s -> expected.add(new int[] {s.get(0).asInt(), s.get(1).asInt()}));
      List<PiiFinding> findings = detector.find(text);
      List<PiiFinding> ofType = findings.stream().filter(f -> f.type() == type).toList();
      String label = node.path("label").asText();
      if ("negative".equals(label)) {
        tally.negatives++;
        tally.negativeFalsePositives += ofType.size();
        tally.negativeOtherFindings += findings.size() - ofType.size();
      } else if ("positive".equals(label) && !expected.isEmpty()) {
        tally.positives++;
        tally.expected += expected.size();
        for (int[] span : expected) {
          if (ofType.stream().anyMatch(f -> overlaps(f, span))) {
            tally.recalled++;
          }
        }
        tally.findings += ofType.size();
        for (PiiFinding f : ofType) {
          if (expected.stream().anyMatch(span -> overlaps(f, span))) {
            tally.truePositives++;
          }
        }
      } else {
        tally.unscored++;
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "| Presidio entity | Bridle type | positive cases | negative cases | recall | precision"
            + " | FP on negatives (same type) | other-type findings on negatives |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    Tally all = new Tally();
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      Tally t = e.getValue();
      row(e.getKey(), MAPPING.get(e.getKey()).name(), t);
      all.positives += t.positives;
      all.negatives += t.negatives;
      all.unscored += t.unscored;
      all.expected += t.expected;
      all.recalled += t.recalled;
      all.findings += t.findings;
      all.truePositives += t.truePositives;
      all.negativeFalsePositives += t.negativeFalsePositives;
      all.negativeOtherFindings += t.negativeOtherFindings;
    }
    row("**all mapped**", "", all);
    System.out.printf(
        "%nunscored cases (positive label without expected spans, or no label): %d; elapsed %d ms%n",
        all.unscored, millis);
  }

  private static void row(String entity, String type, Tally t) {
    System.out.printf(
        "| %s | %s | %d | %d | %s | %s | %d | %d |%n",
        entity,
        type,
        t.positives,
        t.negatives,
        ratio(t.recalled, t.expected),
        ratio(t.truePositives, t.findings),
        t.negativeFalsePositives,
        t.negativeOtherFindings);
  }

  private static String ratio(int numerator, int denominator) {
    return denominator == 0
        ? "n/a"
        : String.format("%.3f (%d/%d)", (double) numerator / denominator, numerator, denominator);
  }

  private static boolean overlaps(PiiFinding f, int[] span) {
    return f.start() < span[1] && span[0] < f.end();
  }
}
