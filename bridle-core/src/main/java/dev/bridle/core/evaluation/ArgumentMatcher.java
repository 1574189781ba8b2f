package dev.bridle.core.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An expectation on one named argument of a tool call: a plain value that must be equal, or one of
 * the matchers {@code {equals: V}}, {@code {contains: TEXT}}, {@code {regex: PATTERN}}, {@code
 * {any: true}} and {@code {absent: true}}.
 *
 * <p>An argument that was not given is passed as a {@link MissingNode} ({@code
 * arguments.path(name)}), so that {@link Absent} and {@link Any} can tell it from a given {@code
 * null}.
 *
 * <pre>{@code
 * Map<String, ArgumentMatcher> expected = ArgumentMatcher.ofArguments(Json.tree("""
 *     {"lead_id": "L-1004", "bio": {"contains": "baker"}}"""));
 * List<String> problems = ArgumentMatcher.mismatches(callArguments, expected);
 * }</pre>
 */
public sealed interface ArgumentMatcher {

  /** The keys of a matcher object. */
  Set<String> KEYS = Set.of("equals", "contains", "regex", "any", "absent");

  /** Whether {@code value} matches; a {@link MissingNode} stands for an argument not given. */
  boolean matches(JsonNode value);

  /** What this matcher expects, for a person: {@code contains 'baker'}. */
  String describe();

  /** Equal after JSON normalisation: numbers by value ({@code 1 == 1.0}), keys in any order. */
  record Equals(JsonNode expected) implements ArgumentMatcher {
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
        (a, b) -> {
          if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
          }
          return a.equals(b) ? 0 : 1;
        };

    public Equals {
      Objects.requireNonNull(expected, "expected");
    }

    @Override
    public boolean matches(JsonNode value) {
      return !value.isMissingNode() && expected.equals(NUMBERS_BY_VALUE, value);
    }

    @Override
    public String describe() {
      return "equals " + Json.canonical(expected);
    }
  }

  /**
   * The value contains {@code text}, ignoring case; a value that is not text is compared by its
   * JSON text.
   */
  record Contains(String text) implements ArgumentMatcher {
    public Contains {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public boolean matches(JsonNode value) {
      return !value.isMissingNode()
          && textOf(value).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public String describe() {
      return "contains '" + text + "'";
    }
  }

  /** The whole value matches {@code pattern}; a value that is not text is matched as JSON text. */
  record Regex(Pattern pattern) implements ArgumentMatcher {
    public Regex {
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public boolean matches(JsonNode value) {
      return !value.isMissingNode() && pattern.matcher(textOf(value)).matches();
    }

    @Override
    public String describe() {
      return "matches /" + pattern.pattern() + "/";
    }
  }

  /** The argument was given, with any value (also {@code null}). */
  record Any() implements ArgumentMatcher {
    @Override
    public boolean matches(JsonNode value) {
      return !value.isMissingNode();
    }

    @Override
    public String describe() {
      return "is given";
    }
  }

  /** The argument was not given. */
  record Absent() implements ArgumentMatcher {
    @Override
    public boolean matches(JsonNode value) {
      return value.isMissingNode();
    }

    @Override
    public String describe() {
      return "is not given";
    }
  }

  /**
   * The matcher {@code spec} describes: a matcher object (one of {@link #KEYS}, exactly one key),
   * or any other value, which must then be equal. An object whose keys include a matcher key, or
   * whose only key looks like a misspelt one ({@code contain}, {@code regexp}), is refused; wrap an
   * object value with such keys in {@code {equals: ...}}.
   *
   * @throws IllegalArgumentException naming what is wrong with the matcher
   */
  static ArgumentMatcher of(JsonNode spec) {
    Objects.requireNonNull(spec, "spec");
    if (!spec.isObject()) {
      return new Equals(spec);
    }
    List<String> keys = new ArrayList<>();
    spec.fieldNames().forEachRemaining(keys::add);
    boolean named = keys.stream().anyMatch(KEYS::contains);
    if (!named) {
      if (keys.size() == 1) {
        suggestion(keys.getFirst())
            .ifPresent(
                known -> {
                  throw new IllegalArgumentException(
                      "unknown matcher '"
                          + keys.getFirst()
                          + "' (did you mean '"
                          + known
                          + "'?); matchers are "
                          + String.join(", ", new TreeSet<>(KEYS))
                          + ", and an object value is compared with {equals: {...}}");
                });
      }
      return new Equals(spec);
    }
    if (keys.size() != 1) {
      throw new IllegalArgumentException(
          "a matcher has exactly one key ("
              + String.join(", ", new TreeSet<>(KEYS))
              + "), but this one has "
              + String.join(", ", keys)
              + "; compare with an object value using {equals: {...}}");
    }
    String key = keys.getFirst();
    JsonNode value = spec.get(key);
    return switch (key) {
      case "equals" -> new Equals(value);
      case "contains" -> {
        if (!value.isValueNode() || value.isNull()) {
          throw new IllegalArgumentException(
              "'contains' takes text, but was " + value.getNodeType().name().toLowerCase());
        }
        yield new Contains(value.asText());
      }
      case "regex" -> {
        if (!value.isTextual()) {
          throw new IllegalArgumentException(
              "'regex' takes a pattern as text, but was "
                  + value.getNodeType().name().toLowerCase());
        }
        try {
          yield new Regex(Pattern.compile(value.asText()));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "'regex' is not a valid pattern: "
                  + e.getDescription()
                  + " in /"
                  + value.asText()
                  + "/",
              e);
        }
      }
      case "any" -> {
        requireTrue(key, value);
        yield new Any();
      }
      case "absent" -> {
        requireTrue(key, value);
        yield new Absent();
      }
      default -> throw new IllegalStateException("unhandled matcher key " + key);
    };
  }

  /**
   * One matcher per named argument of {@code args}, a JSON object.
   *
   * @throws IllegalArgumentException when {@code args} is not an object or a matcher is bad; the
   *     message names the argument
   */
  static Map<String, ArgumentMatcher> ofArguments(JsonNode args) {
    if (!args.isObject()) {
      throw new IllegalArgumentException(
          "arguments must be a mapping of argument names to values or matchers, but were "
              + args.getNodeType().name().toLowerCase());
    }
    Map<String, ArgumentMatcher> matchers = new LinkedHashMap<>();
    args.fields()
        .forEachRemaining(
            field -> {
              try {
                matchers.put(field.getKey(), of(field.getValue()));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "argument '" + field.getKey() + "': " + e.getMessage(), e);
              }
            });
    return matchers;
  }

  /**
   * What does not match: one line per argument whose matcher fails, naming the argument, the
   * expectation and the actual value; empty when every expectation holds. Arguments {@code
   * expected} does not name are not checked.
   *
   * @param arguments the call's arguments, a JSON object (anything else matches only {@link
   *     Absent})
   */
  static List<String> mismatches(JsonNode arguments, Map<String, ArgumentMatcher> expected) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ArgumentMatcher> entry : expected.entrySet()) {
      JsonNode value =
          arguments.isObject() ? arguments.path(entry.getKey()) : MissingNode.getInstance();
      if (!entry.getValue().matches(value)) {
        problems.add(
            entry.getKey()
                + ": expected it "
                + entry.getValue().describe()
                + ", but it "
                + (value.isMissingNode()
                    ? "was not given"
                    : "was " + abbreviate(Json.canonical(value))));
      }
    }
    return problems;
  }

  private static void requireTrue(String key, JsonNode value) {
    if (!value.isBoolean() || !value.booleanValue()) {
      throw new IllegalArgumentException(
          "'" + key + "' is written {" + key + ": true}, but the value was " + value);
    }
  }

  private static String textOf(JsonNode value) {
    return value.isTextual() ? value.asText() : Json.canonical(value);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  /** The matcher key {@code key} is probably a misspelling of, if any. */
  private static java.util.Optional<String> suggestion(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    Map<String, String> aliases =
        Map.of(
            "equal", "equals",
            "eq", "equals",
            "is", "equals",
            "matches", "regex",
            "pattern", "regex",
            "regexp", "regex",
            "contain", "contains",
            "includes", "contains",
            "present", "any",
            "missing", "absent");
    if (aliases.containsKey(lower)) {
      return java.util.Optional.of(aliases.get(lower));
    }
    return KEYS.stream()
        .filter(known -> distance(known, lower) <= (known.length() >= 5 ? 2 : 1))
        .sorted()
        .findFirst();
  }

  /** The Levenshtein distance of two short strings. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
