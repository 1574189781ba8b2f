package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import org.junit.jupiter.api.Test;

class ToolSchemaTranslatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonObjectSchema translate(String schema) {
    try {
      return ToolSchemaTranslator.toObjectSchema((ObjectNode) JSON.readTree(schema));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonSchemaElement property(JsonObjectSchema schema, String name) {
    return schema.properties().get(name);
  }

  @Test
  void translatesScalarPropertiesRequiredAndDescriptions() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object", "description": "Arguments of a lookup",
             "properties": {
               "query": {"type": "string", "description": "Search text"},
               "limit": {"type": "integer"},
               "ratio": {"type": "number", "description": "Share"},
               "exact": {"type": "boolean"}},
             "required": ["query", "limit"],
             "additionalProperties": false}
            """);

    assertThat(schema)
        .isEqualTo(
            JsonObjectSchema.builder()
                .description("Arguments of a lookup")
                .addProperty("query", JsonStringSchema.builder().description("Search text").build())
                .addProperty("limit", JsonIntegerSchema.builder().build())
                .addProperty("ratio", JsonNumberSchema.builder().description("Share").build())
                .addProperty("exact", JsonBooleanSchema.builder().build())
                .required("query", "limit")
                .additionalProperties(false)
                .build());
  }

  @Test
  void writesConstraintsIntoTheDescription() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object", "properties": {
               "code": {"type": "string", "description": "Order code", "minLength": 3,
                        "maxLength": 12, "pattern": "^[A-Z]+$"},
               "email": {"type": "string", "format": "email"},
               "page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1},
               "score": {"type": "number", "exclusiveMinimum": 0},
               "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                        "maxItems": 5, "uniqueItems": true}}}
            """);

    assertThat(property(schema, "code").description())
        .isEqualTo("Order code (at least 3 characters; at most 12 characters; pattern ^[A-Z]+$)");
    assertThat(property(schema, "email").description()).isEqualTo("format email");
    assertThat(property(schema, "page").description())
        .isEqualTo("minimum 1; maximum 100; default 1");
    assertThat(property(schema, "score").description()).isEqualTo("greater than 0");
    assertThat(property(schema, "tags").description())
        .isEqualTo("at least 1 items; at most 5 items; unique items");
  }

  @Test
  void translatesEnumsAndConstants() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object", "properties": {
               "priority": {"type": "string", "enum": ["LOW", "HIGH"], "description": "How urgent"},
               "kind": {"const": "refund"},
               "level": {"type": "integer", "enum": [1, 2, 3]},
               "mixed": {"enum": ["a", 1]}}}
            """);

    assertThat(property(schema, "priority"))
        .isEqualTo(
            JsonEnumSchema.builder().description("How urgent").enumValues("LOW", "HIGH").build());
    assertThat(property(schema, "kind"))
        .isEqualTo(JsonEnumSchema.builder().enumValues("refund").build());
    assertThat(property(schema, "level"))
        .isEqualTo(JsonIntegerSchema.builder().description("one of: 1, 2, 3").build());
    assertThat(property(schema, "mixed"))
        .isEqualTo(JsonStringSchema.builder().description("one of: \"a\", 1").build());
  }

  @Test
  void translatesNestedObjectsAndArrays() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object", "properties": {
               "customer": {"type": "object", "description": "Who",
                            "properties": {"name": {"type": "string"}}, "required": ["name"]},
               "lines": {"type": "array", "items": {"type": "object",
                         "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
                         "required": ["sku", "qty"], "additionalProperties": false}}},
             "required": ["customer"]}
            """);

    assertThat(property(schema, "customer"))
        .isEqualTo(
            JsonObjectSchema.builder()
                .description("Who")
                .addStringProperty("name")
                .required("name")
                .build());
    assertThat(property(schema, "lines"))
        .isEqualTo(
            JsonArraySchema.builder()
                .items(
                    JsonObjectSchema.builder()
                        .addStringProperty("sku")
                        .addIntegerProperty("qty")
                        .required("sku", "qty")
                        .additionalProperties(false)
                        .build())
                .build());
  }

  @Test
  void inlinesReferencesToDefinitions() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object",
             "properties": {
               "billing": {"$ref": "#/$defs/Address", "description": "Where the bill goes"},
               "shipping": {"$ref": "#/definitions/Address"}},
             "$defs": {"Address": {"type": "object", "description": "A postal address",
                       "properties": {"city": {"type": "string"}}, "required": ["city"]}},
             "definitions": {"Address": {"type": "object",
                             "properties": {"zip": {"type": "string"}}}}}
            """);

    assertThat(property(schema, "billing"))
        .isEqualTo(
            JsonObjectSchema.builder()
                .description("Where the bill goes")
                .addStringProperty("city")
                .required("city")
                .build());
    assertThat(property(schema, "shipping"))
        .isEqualTo(JsonObjectSchema.builder().addStringProperty("zip").build());
  }

  @Test
  void recursiveAndUnresolvedReferencesBecomeOpenObjects() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object",
             "properties": {
               "tree": {"$ref": "#/$defs/Node"},
               "ghost": {"$ref": "#/$defs/Missing", "description": "Gone"}},
             "$defs": {"Node": {"type": "object", "properties": {
                 "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}}
            """);

    JsonObjectSchema tree = (JsonObjectSchema) property(schema, "tree");
    JsonArraySchema children = (JsonArraySchema) tree.properties().get("children");
    assertThat(children.items())
        .isEqualTo(JsonObjectSchema.builder().description("nested structure").build());
    assertThat(property(schema, "ghost"))
        .isEqualTo(
            JsonObjectSchema.builder()
                .description("Gone (unresolved reference #/$defs/Missing)")
                .build());
  }

  @Test
  void nullableTypesAndAlternativesTakeTheirFirstNonNullType() {
    JsonObjectSchema schema =
        translate(
            """
            {"type": "object", "properties": {
               "note": {"type": ["null", "string"], "description": "Optional note"},
               "amount": {"anyOf": [{"type": "null"}, {"type": "number"}], "description": "Money"},
               "wrapped": {"allOf": [{"$ref": "#/$defs/Id"}], "description": "The id"}},
             "$defs": {"Id": {"type": "integer", "minimum": 1}}}
            """);

    assertThat(property(schema, "note"))
        .isEqualTo(JsonStringSchema.builder().description("Optional note").build());
    assertThat(property(schema, "amount"))
        .isEqualTo(JsonNumberSchema.builder().description("Money").build());
    assertThat(property(schema, "wrapped"))
        .isEqualTo(JsonIntegerSchema.builder().description("The id (minimum 1)").build());
  }

  @Test
  void unsupportedShapesFallBackWithoutFailing() {
    JsonObjectSchema schema =
        translate(
            """
            {"properties": {
               "anything": {"description": "Free form"},
               "always": true,
               "odd": {"type": "tuple", "title": "Odd one"},
               "nothing": {"type": "null"},
               "list": {"type": "array"}},
             "required": ["anything", "not-a-property"]}
            """);

    assertThat(property(schema, "anything"))
        .isEqualTo(JsonStringSchema.builder().description("Free form (any JSON value)").build());
    assertThat(property(schema, "always"))
        .isEqualTo(JsonStringSchema.builder().description("any JSON value").build());
    assertThat(property(schema, "odd"))
        .isEqualTo(JsonStringSchema.builder().description("Odd one (any JSON value)").build());
    assertThat(property(schema, "nothing")).isInstanceOf(JsonStringSchema.class);
    assertThat(property(schema, "list"))
        .isEqualTo(
            JsonArraySchema.builder()
                .items(JsonStringSchema.builder().description("any JSON value").build())
                .build());
    assertThat(schema.required()).containsExactly("anything");
  }

  @Test
  void aNonObjectRootBecomesAnOpenObject() {
    assertThat(translate("{\"type\": \"string\", \"description\": \"Just text\"}"))
        .isEqualTo(JsonObjectSchema.builder().description("Just text").build());
    assertThat(translate("{}"))
        .isEqualTo(JsonObjectSchema.builder().description("any JSON value").build());
  }
}
