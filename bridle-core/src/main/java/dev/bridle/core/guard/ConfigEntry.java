package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One map of configuration values, read key by key. Every key a reader asks for is remembered, so
 * that {@link #requireNoOtherKeys()} can name the unknown keys and list the known ones.
 */
final class ConfigEntry {

  private final String path;
  private final Map<String, ?> values;
  private final Set<String> known = new LinkedHashSet<>();

  ConfigEntry(String path, Map<String, ?> values) {
    this.path = path;
    this.values = values;
  }

  String path() {
    return path;
  }

  ConfigurationException error(String message) {
    return new ConfigurationException(path + ": " + message);
  }

  ConfigurationException error(String key, String message) {
    return new ConfigurationException(path + "." + key + ": " + message);
  }

  Optional<Object> raw(String key) {
    known.add(key);
    return Optional.ofNullable(values.get(key));
  }

  String string(String key) {
    return optionalString(key).orElseThrow(() -> error("'" + key + "' is required"));
  }

  Optional<String> optionalString(String key) {
    return raw(key)
        .map(
            v -> {
              if (v instanceof String s && !s.isBlank()) {
                return s;
              }
              throw error(key, "must be a non-empty string, but was " + describe(v));
            });
  }

  List<String> strings(String key) {
    Optional<Object> value = raw(key);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!(value.get() instanceof List<?> list)) {
      throw error(key, "must be a list of strings, but was " + describe(value.get()));
    }
    List<String> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof String s) || s.isBlank()) {
        throw error(key + "[" + i + "]", "must be a non-empty string, but was " + describe(item));
      }
      result.add(s);
    }
    return result;
  }

  Optional<Integer> integer(String key) {
    return raw(key)
        .map(
            v -> {
              if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                long n = ((Number) v).longValue();
                if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                  return (int) n;
                }
              }
              throw error(key, "must be a whole number, but was " + describe(v));
            });
  }

  Optional<Double> number(String key) {
    return raw(key)
        .map(
            v -> {
              if (v instanceof Number n
                  && !(v instanceof BigInteger)
                  && !(v instanceof BigDecimal)
                  && Double.isFinite(n.doubleValue())) {
                return n.doubleValue();
              }
              throw error(key, "must be a number, but was " + describe(v));
            });
  }

  Optional<Boolean> bool(String key) {
    return raw(key)
        .map(
            v -> {
              if (v instanceof Boolean b) {
                return b;
              }
              throw error(key, "must be true or false, but was " + describe(v));
            });
  }

  Optional<Map<String, Object>> map(String key) {
    return raw(key).map(v -> asMap(key, v));
  }

  ConfigurationException unknownValue(String key, IllegalArgumentException e) {
    return error(key, e.getMessage());
  }

  /** Throws naming every key that no reader asked for, with the known keys. */
  void requireNoOtherKeys() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw error(
          (unknown.size() == 1 ? "unknown key '" : "unknown keys '")
              + String.join("', '", unknown)
              + "'; known keys: "
              + String.join(", ", new TreeSet<>(known)));
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> asMap(String key, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(key, "must be a map, but was " + describe(value));
    }
    for (Object k : map.keySet()) {
      if (!(k instanceof String)) {
        throw error(key, "keys must be strings, but found " + describe(k));
      }
    }
    return (Map<String, Object>) map;
  }

  static String describe(Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof String s) {
      return s.isBlank() ? "a blank string" : "the string " + GuardSettings.quote(s, 40);
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }
}
