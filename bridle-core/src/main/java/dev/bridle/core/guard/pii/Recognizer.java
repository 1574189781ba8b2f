package dev.bridle.core.guard.pii;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds candidate spans of one type; overlaps between recognizers are resolved by the detector. */
interface Recognizer {

  PiiType type();

  void scan(String text, List<PiiFinding> sink);

  /** A pattern whose whole match is a candidate, kept when {@code valid} accepts the match. */
  record Regex(PiiType type, Pattern pattern, Predicate<Matcher> valid) implements Recognizer {

    static Regex of(PiiType type, String regex) {
      return new Regex(type, Pattern.compile(regex), m -> true);
    }

    static Regex of(PiiType type, String regex, Predicate<Matcher> valid) {
      return new Regex(type, Pattern.compile(regex), valid);
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (m.end() > m.start() && valid.test(m)) {
          sink.add(new PiiFinding(type, m.start(), m.end()));
        }
      }
    }
  }
}
