package dev.bridle.core.cost;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bridle.core.ConfigurationException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the price file format. Every error names the file and the JSON path of the value at fault
 * ({@code $.prices[2].output}).
 */
final class PriceFileParser {

  static final int FORMAT = 1;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("format", "currency", "unit", "note", "prices");
  private static final Set<String> ENTRY_KEYS =
      Set.of(
          "model",
          "effective",
          "input",
          "cached-input",
          "output",
          "source",
          "taken",
          "verified",
          "note");

  private final String where;

  private PriceFileParser(String where) {
    this.where = where;
  }

  static List<ModelPrice> parse(String json, String where) {
    return new PriceFileParser(where).parse(json);
  }

  private List<ModelPrice> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      String at =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new ConfigurationException(
          "price table " + where + " is not valid JSON" + at + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw error("$", "must be a JSON object with a 'prices' array");
    }
    requireKnownKeys(root, "$", TOP_LEVEL_KEYS);
    JsonNode format = root.path("format");
    if (!format.isMissingNode() && !(format.isIntegralNumber() && format.asInt() == FORMAT)) {
      throw error("$.format", "must be " + FORMAT + ", but was " + format);
    }
    JsonNode currency = root.path("currency");
    if (!currency.isMissingNode() && !currency.asText().equals("USD")) {
      throw error("$.currency", "must be \"USD\", but was " + currency);
    }
    JsonNode unit = root.path("unit");
    if (!unit.isMissingNode() && !unit.asText().equals("per-million-tokens")) {
      throw error("$.unit", "must be \"per-million-tokens\", but was " + unit);
    }
    JsonNode prices = root.path("prices");
    if (!prices.isArray()) {
      throw error("$.prices", "must be an array of prices, but was " + describe(prices));
    }
    List<ModelPrice> result = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < prices.size(); i++) {
      String path = "$.prices[" + i + "]";
      ModelPrice price = entry(prices.get(i), path);
      Integer earlier = seen.putIfAbsent(price.modelId() + "@" + price.effective(), i);
      if (earlier != null) {
        throw error(
            path,
            "is a second price for "
                + price.modelId()
                + " effective "
                + price.effective()
                + " (the first is $.prices["
                + earlier
                + "])");
      }
      result.add(price);
    }
    return result;
  }

  private ModelPrice entry(JsonNode entry, String path) {
    if (!entry.isObject()) {
      throw error(path, "must be an object, but was " + describe(entry));
    }
    requireKnownKeys(entry, path, ENTRY_KEYS);
    String model = text(entry, path, "model").orElseThrow(() -> missing(path, "model"));
    try {
      ModelPrice.requireModelId(model);
    } catch (ConfigurationException e) {
      throw error(path + ".model", "must be 'provider:name', but was \"" + model + "\"");
    }
    LocalDate effective =
        date(entry, path, "effective").orElseThrow(() -> missing(path, "effective"));
    BigDecimal input = price(entry, path, "input").orElseThrow(() -> missing(path, "input"));
    BigDecimal output = price(entry, path, "output").orElseThrow(() -> missing(path, "output"));
    BigDecimal cachedInput = price(entry, path, "cached-input").orElse(input);
    Optional<String> source = text(entry, path, "source");
    Optional<LocalDate> taken = date(entry, path, "taken");
    text(entry, path, "note");
    JsonNode verified = entry.path("verified");
    if (!verified.isMissingNode() && !verified.isBoolean()) {
      throw error(path + ".verified", "must be true or false, but was " + verified);
    }
    return new ModelPrice(
        model, effective, input, cachedInput, output, source, taken, verified.asBoolean(false));
  }

  private Optional<String> text(JsonNode entry, String path, String key) {
    JsonNode value = entry.path(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw error(path + "." + key, "must be a non-empty string, but was " + describe(value));
    }
    return Optional.of(value.asText());
  }

  private Optional<LocalDate> date(JsonNode entry, String path, String key) {
    Optional<String> text = text(entry, path, key);
    try {
      return text.map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw error(
          path + "." + key, "must be a date like \"2025-04-14\", but was \"" + text.get() + "\"");
    }
  }

  private Optional<BigDecimal> price(JsonNode entry, String path, String key) {
    JsonNode value = entry.path(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isNumber() || value.decimalValue().signum() < 0) {
      throw error(
          path + "." + key,
          "must be a non-negative number of dollars per million tokens, but was "
              + describe(value));
    }
    return Optional.of(value.decimalValue());
  }

  private void requireKnownKeys(JsonNode object, String path, Set<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw error(
            path + "." + name,
            "is not a known key; known keys here: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private ConfigurationException missing(String path, String key) {
    return error(path, "has no '" + key + "'");
  }

  private ConfigurationException error(String path, String problem) {
    return new ConfigurationException("price table " + where + ": " + path + " " + problem);
  }

  private static String describe(JsonNode value) {
    if (value.isMissingNode()) {
      return "missing";
    }
    String text = value.toString();
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
