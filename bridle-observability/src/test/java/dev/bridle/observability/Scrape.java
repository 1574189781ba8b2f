package dev.bridle.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of Prometheus text. */
final class Scrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  Scrape(String text) {
    this.text = text;
  }

  /** The value of the sample {@code name} whose labels include all of {@code labels}. */
  Optional<Double> value(String name, Map<String, String> labels) {
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new LinkedHashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          found.put(label.group(1), label.group(2));
        }
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return Optional.of(Double.parseDouble(sample.group(4)));
      }
    }
    return Optional.empty();
  }

  double require(String name, Map<String, String> labels) {
    return value(name, labels)
        .orElseThrow(
            () -> new AssertionError("no sample " + name + " with " + labels + " in:\n" + text));
  }

  @Override
  public String toString() {
    return text;
  }
}
