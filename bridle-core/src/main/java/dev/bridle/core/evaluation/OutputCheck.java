package dev.bridle.core.evaluation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks on a final answer: texts it must contain and must not contain (ignoring case), a pattern
 * it must contain a match of, and a JSON schema the answer (parsed as JSON, a Markdown code fence
 * around it allowed) must be valid against. Immutable and thread-safe.
 *
 * <pre>{@code
 * OutputCheck check = OutputCheck.builder().contains("bio").notContains("http://").build();
 * List<String> problems = check.problems(answer);   // empty: the answer passes
 * }</pre>
 */
public final class OutputCheck {

  /** At most this many schema violations are listed. */
  static final int MAX_VIOLATIONS = 10;

  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static final ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Pattern FENCE =
      Pattern.compile(
          "\\A\\s*```[A-Za-z0-9_-]*[ \\t]*\\R(.*?)\\R?[ \\t]*```\\s*\\z", Pattern.DOTALL);

  private final List<String> contains;
  private final List<String> notContains;
  private final Optional<Pattern> regex;
  private final Optional<JsonNode> jsonSchema;
  private final Optional<JsonSchema> compiledSchema;

  private OutputCheck(Builder builder) {
    this.contains = List.copyOf(builder.contains);
    this.notContains = List.copyOf(builder.notContains);
    this.regex = Optional.ofNullable(builder.regex);
    this.jsonSchema = Optional.ofNullable(builder.jsonSchema);
    this.compiledSchema = Optional.ofNullable(builder.compiledSchema);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Texts the answer must contain, ignoring case. */
  public List<String> contains() {
    return contains;
  }

  /** Texts the answer must not contain, ignoring case. */
  public List<String> notContains() {
    return notContains;
  }

  /** A pattern the answer must contain a match of ({@code ^}/{@code $} anchor it). */
  public Optional<Pattern> regex() {
    return regex;
  }

  /** The schema the answer, parsed as JSON, must be valid against. */
  public Optional<JsonNode> jsonSchema() {
    return jsonSchema;
  }

  /** Whether this check checks nothing. */
  public boolean isEmpty() {
    return contains.isEmpty() && notContains.isEmpty() && regex.isEmpty() && jsonSchema.isEmpty();
  }

  /** What is wrong with {@code answer}, one line per failed check; empty when it passes. */
  public List<String> problems(String answer) {
    Objects.requireNonNull(answer, "answer");
    List<String> problems = new ArrayList<>();
    String lower = answer.toLowerCase(Locale.ROOT);
    for (String text : contains) {
      if (!lower.contains(text.toLowerCase(Locale.ROOT))) {
        problems.add("the answer does not contain '" + text + "'");
      }
    }
    for (String text : notContains) {
      if (lower.contains(text.toLowerCase(Locale.ROOT))) {
        problems.add("the answer contains '" + text + "', which it must not");
      }
    }
    regex
        .filter(pattern -> !pattern.matcher(answer).find())
        .ifPresent(
            pattern -> problems.add("the answer has no match of /" + pattern.pattern() + "/"));
    compiledSchema.ifPresent(schema -> problems.addAll(schemaProblems(schema, answer)));
    return problems;
  }

  private static List<String> schemaProblems(JsonSchema schema, String answer) {
    String json = unfenced(answer);
    JsonNode value;
    try {
      value = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      return List.of("the answer is not valid JSON: " + e.getOriginalMessage());
    }
    if (value == null) {
      return List.of("the answer is empty, not JSON");
    }
    List<String> violations =
        schema.validate(value).stream()
            .sorted(
                Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
            .map(m -> "the answer does not match the schema: " + m.getMessage())
            .distinct()
            .toList();
    if (violations.size() <= MAX_VIOLATIONS) {
      return violations;
    }
    List<String> listed = new ArrayList<>(violations.subList(0, MAX_VIOLATIONS));
    listed.add("and " + (violations.size() - MAX_VIOLATIONS) + " more schema violations");
    return listed;
  }

  private static String unfenced(String text) {
    java.util.regex.Matcher fenced = FENCE.matcher(text);
    return fenced.matches() ? fenced.group(1) : text;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (!contains.isEmpty()) {
      parts.add("contains " + contains);
    }
    if (!notContains.isEmpty()) {
      parts.add("not-contains " + notContains);
    }
    regex.ifPresent(p -> parts.add("regex /" + p.pattern() + "/"));
    jsonSchema.ifPresent(s -> parts.add("json-schema " + Json.canonical(s)));
    return "OutputCheck[" + String.join(", ", parts) + "]";
  }

  /** Builds an {@link OutputCheck}; bad patterns and schemas fail where they are given. */
  public static final class Builder {
    private final List<String> contains = new ArrayList<>();
    private final List<String> notContains = new ArrayList<>();
    private Pattern regex;
    private JsonNode jsonSchema;
    private JsonSchema compiledSchema;

    private Builder() {}

    public Builder contains(String... texts) {
      for (String text : texts) {
        contains.add(requireText("contains", text));
      }
      return this;
    }

    public Builder notContains(String... texts) {
      for (String text : texts) {
        notContains.add(requireText("not-contains", text));
      }
      return this;
    }

    /**
     * @throws IllegalArgumentException when {@code pattern} is not a valid regular expression
     */
    public Builder regex(String pattern) {
      Objects.requireNonNull(pattern, "pattern");
      try {
        this.regex = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "regex is not a valid pattern: " + e.getDescription() + " in /" + pattern + "/", e);
      }
      return this;
    }

    /**
     * @throws IllegalArgumentException when {@code schema} is not an object or cannot be compiled
     */
    public Builder jsonSchema(JsonNode schema) {
      Objects.requireNonNull(schema, "schema");
      if (!schema.isObject() && !schema.isBoolean()) {
        throw new IllegalArgumentException(
            "json-schema must be a JSON schema object, but was "
                + schema.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      try {
        this.compiledSchema = SCHEMAS.getSchema(schema);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("json-schema cannot be compiled: " + e.getMessage(), e);
      }
      this.jsonSchema = schema.deepCopy();
      return this;
    }

    public OutputCheck build() {
      return new OutputCheck(this);
    }

    private static String requireText(String key, String text) {
      Objects.requireNonNull(text, key);
      if (text.isEmpty()) {
        throw new IllegalArgumentException(key + " lists an empty text, which every answer has");
      }
      return text;
    }
  }
}
