package dev.bridle.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The one configured {@link ObjectMapper} of Bridle and helpers around it. Not API. */
public final class Json {

  /** Strict: unknown properties fail, timestamps are ISO-8601 strings. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The canonical text of a JSON value: object keys sorted at every level, no whitespace. Used for
   * loop detection and for hashing arguments.
   */
  /** Digits a number may have before or after its point and still be written out in full. */
  private static final int MAX_PLAIN_DIGITS = 100;

  /**
   * A number's canonical text: trailing zeros stripped ({@code 100.50} → {@code 100.5}, {@code 1e2}
   * → {@code 100}), written out in full, except that a number whose full form would run past
   * {@value #MAX_PLAIN_DIGITS} digits keeps its exponent ({@code 1E+400000000}): a model's or a
   * caller's {@code 1e400000000} must not become 400 million digits in memory.
   */
  public static String plainNumber(java.math.BigDecimal number) {
    java.math.BigDecimal stripped = number.stripTrailingZeros();
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (stripped.scale() > MAX_PLAIN_DIGITS || integerDigits > MAX_PLAIN_DIGITS) {
      return stripped.toString();
    }
    return stripped.toPlainString();
  }

  /** Parses JSON text into a tree; text that is not JSON becomes a JSON string node. */
  public static JsonNode tree(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }

  public static String canonical(JsonNode node) {
    return sorted(node, false);
  }

  /**
   * As {@link #canonical}, with every number written by value ({@link #plainNumber}): {@code 1},
   * {@code 1.0} and {@code 1e0} are all {@code 1}. For comparing two calls' arguments.
   */
  public static String canonicalByValue(JsonNode node) {
    return sorted(node, true);
  }

  private static String sorted(JsonNode node, boolean numbersByValue) {
    java.io.StringWriter text = new java.io.StringWriter(64);
    try (com.fasterxml.jackson.core.JsonGenerator generator =
        MAPPER.getFactory().createGenerator(text)) {
      writeSorted(generator, node, numbersByValue);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void writeSorted(
      com.fasterxml.jackson.core.JsonGenerator generator, JsonNode node, boolean numbersByValue)
      throws java.io.IOException {
    if (node.isObject()) {
      java.util.List<String> names = new java.util.ArrayList<>(node.size());
      node.fieldNames().forEachRemaining(names::add);
      java.util.Collections.sort(names);
      generator.writeStartObject();
      for (String name : names) {
        generator.writeFieldName(name);
        writeSorted(generator, node.get(name), numbersByValue);
      }
      generator.writeEndObject();
    } else if (node.isArray()) {
      generator.writeStartArray();
      for (JsonNode element : node) {
        writeSorted(generator, element, numbersByValue);
      }
      generator.writeEndArray();
    } else if (numbersByValue && node.isNumber()) {
      generator.writeNumber(plainNumber(node.decimalValue()));
    } else {
      generator.writeTree(node);
    }
  }
}
