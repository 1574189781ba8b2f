package dev.bridle.core.guard;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requires the model's final answer to be JSON that matches a JSON Schema (draft 2020-12). On a
 * mismatch the model is reasked with what was wrong: the parse error with its line and column, or
 * each schema violation with its path. Only final answers are checked ({@link
 * GuardSubject#finalAnswer()}); text alongside tool calls is not structured output.
 *
 * <p>The JSON may be wrapped in one Markdown code fence ({@code ```json … ```}), which models often
 * add; anything else around it is an error. Duplicate keys are an error.
 */
public final class JsonSchemaGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "json-schema";

  /** At most this many violations are listed in the feedback. */
  static final int MAX_LISTED = 10;

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static final ObjectReader STRICT =
      Json.MAPPER
          .reader()
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Pattern FENCE =
      Pattern.compile(
          "\\A\\s*```[A-Za-z0-9_-]*[ \\t]*\\R(.*?)\\R?[ \\t]*```\\s*\\z", Pattern.DOTALL);

  private final String name;
  private final JsonSchema schema;

  private JsonSchemaGuard(String name, JsonSchema schema) {
    this.name = name;
    this.schema = schema;
  }

  /** A guard named {@value #NAME} checking final answers against {@code schema}. */
  public static JsonSchemaGuard of(JsonNode schema) {
    return of(NAME, schema);
  }

  /**
   * A guard named {@code name} checking final answers against {@code schema}.
   *
   * @throws ConfigurationException when the schema is not an object or cannot be compiled
   */
  public static JsonSchemaGuard of(String name, JsonNode schema) {
    GuardSettings.requireName(name);
    Objects.requireNonNull(schema, "schema");
    if (!schema.isObject() && !schema.isBoolean()) {
      throw new ConfigurationException(
          "guard '"
              + name
              + "': the schema must be a JSON object, but was "
              + schema.getNodeType());
    }
    try {
      return new JsonSchemaGuard(name, FACTORY.getSchema(schema));
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "guard '" + name + "': the schema cannot be compiled: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<GuardStage> stages() {
    return Set.of(GuardStage.MODEL_OUTPUT);
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    if (!subject.finalAnswer()) {
      return GuardResult.pass();
    }
    String json = unfenced(subject.text());
    if (json.isBlank()) {
      return GuardResult.reask(
          "Your answer was empty. Answer with a JSON value that matches the required schema.");
    }
    JsonNode value;
    try {
      value = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return GuardResult.reask(
          "Your answer is not valid JSON"
              + where
              + ": "
              + e.getOriginalMessage()
              + ". Answer with only the JSON value, matching the required schema.");
    }
    List<String> violations =
        schema.validate(value).stream()
            .sorted(
                Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
            .map(m -> m.getMessage() + " (rule: " + m.getType() + ")")
            .distinct()
            .toList();
    if (violations.isEmpty()) {
      return GuardResult.pass();
    }
    StringBuilder feedback =
        new StringBuilder("Your answer is JSON but does not match the required schema:");
    violations.stream().limit(MAX_LISTED).forEach(v -> feedback.append("\n- ").append(v));
    if (violations.size() > MAX_LISTED) {
      feedback.append("\n- and ").append(violations.size() - MAX_LISTED).append(" more");
    }
    feedback.append("\nCorrect these and answer again with only the JSON value.");
    return GuardResult.reask(feedback.toString());
  }

  /** The JSON inside a single surrounding Markdown code fence, or {@code text} unchanged. */
  static String unfenced(String text) {
    Matcher m = FENCE.matcher(text);
    return m.matches() ? m.group(1) : text;
  }
}
