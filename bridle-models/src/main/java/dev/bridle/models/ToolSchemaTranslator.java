package dev.bridle.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates the JSON Schema (draft 2020-12) of a tool's arguments, as Bridle generates it, into
 * LangChain4j's {@link JsonObjectSchema}, which every provider module can render.
 *
 * <p>Supported: {@code object} (properties, required, {@code additionalProperties: false}), {@code
 * string}, {@code integer}, {@code number}, {@code boolean}, {@code array} (items), string {@code
 * enum} and {@code const}, descriptions (or titles), and {@code $ref} into {@code $defs} or {@code
 * definitions}, which is inlined so that providers without reference support understand it.
 * LangChain4j's schema has no place for constraints, so {@code minimum}, {@code maximum}, {@code
 * minLength}, {@code maxLength}, {@code pattern}, {@code format}, {@code minItems}, {@code
 * maxItems}, {@code default} and non-string enums are written into the description, where the model
 * still reads them; the tool's own validator enforces them. Anything else falls back to the closest
 * simple type with its description kept: a nullable type becomes its non-null type, {@code anyOf}
 * and {@code oneOf} their first non-null alternative, a recursive reference an open object, an
 * untyped schema a string. It never throws for a well-formed JSON object.
 */
final class ToolSchemaTranslator {

  private static final int MAX_DEPTH = 24;

  private final JsonNode root;

  private ToolSchemaTranslator(JsonNode root) {
    this.root = root;
  }

  /** The tool parameters as an object schema; a non-object root becomes an open object. */
  static JsonObjectSchema toObjectSchema(ObjectNode schema) {
    ToolSchemaTranslator translator = new ToolSchemaTranslator(schema);
    JsonSchemaElement element = translator.translate(schema, Optional.empty(), Set.of(), 0);
    if (element instanceof JsonObjectSchema object) {
      return object;
    }
    return JsonObjectSchema.builder().description(element.description()).build();
  }

  private JsonSchemaElement translate(
      JsonNode schema, Optional<String> outerDescription, Set<String> openReferences, int depth) {
    Optional<String> description = outerDescription.or(() -> describedBy(schema));
    if (!schema.isObject() || depth > MAX_DEPTH) {
      return string(description, List.of("any JSON value"));
    }
    if (schema.hasNonNull("$ref")) {
      return reference(schema.get("$ref").asText(), description, openReferences, depth);
    }
    Optional<JsonNode> single = singleAlternative(schema);
    if (single.isPresent()) {
      return translate(single.get(), description, openReferences, depth + 1);
    }
    if (schema.has("const")) {
      return enumeration(List.of(schema.get("const")), schema, description);
    }
    if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
      List<JsonNode> values = new ArrayList<>();
      schema.get("enum").forEach(values::add);
      return enumeration(values, schema, description);
    }
    return switch (typeOf(schema)) {
      case "object" -> object(schema, description, openReferences, depth);
      case "array" -> array(schema, description, openReferences, depth);
      case "integer" ->
          JsonIntegerSchema.builder()
              .description(withConstraints(description, numberConstraints(schema)))
              .build();
      case "number" ->
          JsonNumberSchema.builder()
              .description(withConstraints(description, numberConstraints(schema)))
              .build();
      case "boolean" ->
          JsonBooleanSchema.builder()
              .description(withConstraints(description, defaultOf(schema)))
              .build();
      case "string" -> string(description, stringConstraints(schema));
      default -> string(description, List.of("any JSON value"));
    };
  }

  private JsonSchemaElement reference(
      String reference, Optional<String> description, Set<String> openReferences, int depth) {
    Optional<JsonNode> target = resolve(reference);
    if (target.isEmpty() || openReferences.contains(reference)) {
      String why = target.isEmpty() ? "unresolved reference " + reference : "nested structure";
      return JsonObjectSchema.builder()
          .description(withConstraints(description, List.of(why)))
          .build();
    }
    Set<String> nowOpen = new HashSet<>(openReferences);
    nowOpen.add(reference);
    return translate(target.get(), description, Set.copyOf(nowOpen), depth + 1);
  }

  private Optional<JsonNode> resolve(String reference) {
    if (!reference.startsWith("#")) {
      return Optional.empty();
    }
    JsonNode target = root.at(reference.substring(1));
    return target.isMissingNode() ? Optional.empty() : Optional.of(target);
  }

  private JsonSchemaElement object(
      JsonNode schema, Optional<String> description, Set<String> openReferences, int depth) {
    JsonObjectSchema.Builder builder =
        JsonObjectSchema.builder().description(withConstraints(description, List.of()));
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      names.add(property.getKey());
      builder.addProperty(
          property.getKey(),
          translate(property.getValue(), Optional.empty(), openReferences, depth + 1));
    }
    List<String> required = new ArrayList<>();
    for (JsonNode name : schema.path("required")) {
      if (names.contains(name.asText())) {
        required.add(name.asText());
      }
    }
    builder.required(required);
    if (schema.path("additionalProperties").isBoolean()) {
      builder.additionalProperties(schema.get("additionalProperties").asBoolean());
    }
    return builder.build();
  }

  private JsonSchemaElement array(
      JsonNode schema, Optional<String> description, Set<String> openReferences, int depth) {
    JsonNode items = schema.path("items");
    JsonSchemaElement itemSchema =
        items.isObject()
            ? translate(items, Optional.empty(), openReferences, depth + 1)
            : string(Optional.empty(), List.of("any JSON value"));
    List<String> constraints = new ArrayList<>();
    present(schema, "minItems")
        .ifPresent(n -> constraints.add("at least " + n.asText() + " items"));
    present(schema, "maxItems").ifPresent(n -> constraints.add("at most " + n.asText() + " items"));
    if (schema.path("uniqueItems").asBoolean(false)) {
      constraints.add("unique items");
    }
    constraints.addAll(defaultOf(schema));
    return JsonArraySchema.builder()
        .description(withConstraints(description, constraints))
        .items(itemSchema)
        .build();
  }

  private static JsonSchemaElement enumeration(
      List<JsonNode> values, JsonNode schema, Optional<String> description) {
    if (values.stream().allMatch(JsonNode::isTextual)) {
      return JsonEnumSchema.builder()
          .description(withConstraints(description, defaultOf(schema)))
          .enumValues(values.stream().map(JsonNode::asText).toList())
          .build();
    }
    List<String> constraints = new ArrayList<>();
    constraints.add(
        "one of: " + values.stream().map(JsonNode::toString).collect(Collectors.joining(", ")));
    constraints.addAll(defaultOf(schema));
    String describedAs = withConstraints(description, constraints);
    if (values.stream().allMatch(JsonNode::isIntegralNumber)) {
      return JsonIntegerSchema.builder().description(describedAs).build();
    }
    if (values.stream().allMatch(JsonNode::isNumber)) {
      return JsonNumberSchema.builder().description(describedAs).build();
    }
    if (values.stream().allMatch(JsonNode::isBoolean)) {
      return JsonBooleanSchema.builder().description(describedAs).build();
    }
    return JsonStringSchema.builder().description(describedAs).build();
  }

  private static JsonSchemaElement string(Optional<String> description, List<String> constraints) {
    return JsonStringSchema.builder()
        .description(withConstraints(description, constraints))
        .build();
  }

  /**
   * The one schema behind {@code allOf}/{@code anyOf}/{@code oneOf}: the first one that is not
   * {@code {"type": "null"}}.
   */
  private static Optional<JsonNode> singleAlternative(JsonNode schema) {
    for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode alternatives = schema.path(keyword);
      if (alternatives.isArray() && !alternatives.isEmpty() && !hasOwnType(schema)) {
        for (JsonNode alternative : alternatives) {
          if (!"null".equals(alternative.path("type").asText())) {
            return Optional.of(alternative);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean hasOwnType(JsonNode schema) {
    return schema.has("type") || schema.has("properties");
  }

  /** The declared type; the first non-null one of a type list; else inferred from keywords. */
  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isTextual()) {
      return type.asText();
    }
    if (type.isArray()) {
      for (JsonNode candidate : type) {
        if (!"null".equals(candidate.asText())) {
          return candidate.asText();
        }
      }
    }
    if (schema.has("properties") || schema.has("additionalProperties")) {
      return "object";
    }
    if (schema.has("items")) {
      return "array";
    }
    return "unknown";
  }

  private static Optional<String> describedBy(JsonNode schema) {
    return present(schema, "description")
        .or(() -> present(schema, "title"))
        .map(JsonNode::asText)
        .filter(text -> !text.isBlank());
  }

  private static List<String> numberConstraints(JsonNode schema) {
    List<String> constraints = new ArrayList<>();
    present(schema, "minimum").ifPresent(n -> constraints.add("minimum " + n.asText()));
    present(schema, "maximum").ifPresent(n -> constraints.add("maximum " + n.asText()));
    present(schema, "exclusiveMinimum")
        .filter(JsonNode::isNumber)
        .ifPresent(n -> constraints.add("greater than " + n.asText()));
    present(schema, "exclusiveMaximum")
        .filter(JsonNode::isNumber)
        .ifPresent(n -> constraints.add("less than " + n.asText()));
    present(schema, "multipleOf").ifPresent(n -> constraints.add("multiple of " + n.asText()));
    constraints.addAll(defaultOf(schema));
    return constraints;
  }

  private static List<String> stringConstraints(JsonNode schema) {
    List<String> constraints = new ArrayList<>();
    present(schema, "minLength")
        .ifPresent(n -> constraints.add("at least " + n.asText() + " characters"));
    present(schema, "maxLength")
        .ifPresent(n -> constraints.add("at most " + n.asText() + " characters"));
    present(schema, "pattern").ifPresent(p -> constraints.add("pattern " + p.asText()));
    present(schema, "format").ifPresent(f -> constraints.add("format " + f.asText()));
    constraints.addAll(defaultOf(schema));
    return constraints;
  }

  /** The value of {@code field}, when present and not JSON null. */
  private static Optional<JsonNode> present(JsonNode schema, String field) {
    JsonNode value = schema.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static List<String> defaultOf(JsonNode schema) {
    return schema.has("default") ? List.of("default " + schema.get("default")) : List.of();
  }

  /** {@code description (c1; c2)}, just the constraints when there is no description, or null. */
  private static String withConstraints(Optional<String> description, List<String> constraints) {
    if (constraints.isEmpty()) {
      return description.orElse(null);
    }
    String joined = String.join("; ", constraints);
    return description.map(text -> text + " (" + joined + ")").orElse(joined);
  }
}
