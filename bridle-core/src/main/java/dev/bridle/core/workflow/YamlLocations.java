package dev.bridle.core.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each key and list item of a YAML document starts, by path ({@code limits.max-steps}, {@code
 * script[2]}). Jackson reports some binding errors only after it has read past the offending key;
 * this index points the error back at the key itself.
 */
final class YamlLocations {

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final Map<String, JsonLocation> byPath;

  private YamlLocations(Map<String, JsonLocation> byPath) {
    this.byPath = byPath;
  }

  static YamlLocations index(String yaml) {
    Map<String, JsonLocation> byPath = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(yaml)) {
      Deque<Frame> stack = new ArrayDeque<>();
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          String path = join(stack.peek(), parser.currentName());
          byPath.putIfAbsent(path, parser.currentTokenLocation());
          stack.peek().pendingKey = path;
          continue;
        }
        String path = valuePath(stack.peek(), parser.currentTokenLocation(), byPath);
        if (token.isStructStart()) {
          stack.push(new Frame(path, token == JsonToken.START_ARRAY));
        } else if (token.isStructEnd()) {
          stack.pop();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Syntax errors are reported by the binding pass; what was indexed so far still helps.
    }
    return new YamlLocations(byPath);
  }

  Optional<JsonLocation> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /** Every indexed path that is {@code prefix} or lies below it, with where it starts. */
  Map<String, JsonLocation> under(String prefix) {
    Map<String, JsonLocation> found = new HashMap<>();
    byPath.forEach(
        (path, at) -> {
          if (path.equals(prefix)
              || path.startsWith(prefix + ".")
              || path.startsWith(prefix + "[")) {
            found.put(path, at);
          }
        });
    return found;
  }

  private static String valuePath(Frame parent, JsonLocation at, Map<String, JsonLocation> byPath) {
    if (parent == null) {
      byPath.putIfAbsent("", at);
      return "";
    }
    if (parent.array) {
      String path = parent.path + "[" + parent.nextIndex++ + "]";
      byPath.putIfAbsent(path, at);
      return path;
    }
    return parent.pendingKey;
  }

  private static String join(Frame parent, String key) {
    return parent == null || parent.path.isEmpty() ? key : parent.path + "." + key;
  }

  private static final class Frame {
    final String path;
    final boolean array;
    int nextIndex;
    String pendingKey = "";

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }
}
