package dev.bridle.core.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools a run may call, by name, with their compiled argument validators. Resolving a call
 * never throws: an unknown name or bad arguments become a {@link ToolResolution} whose observation
 * the loop hands back to the model.
 */
public final class Toolbox {

  private static final Toolbox EMPTY = new Toolbox(Map.of());

  private final Map<String, Entry> entries;
  private final List<ToolSpec> specs;

  private record Entry(Tool<?> tool, ArgumentValidator validator) {}

  private Toolbox(Map<String, Entry> entries) {
    this.entries = entries;
    // List.copyOf keeps the list's identity through ModelRequest's own List.copyOf, so adapters
    // can cache what they derive from it.
    this.specs = List.copyOf(entries.values().stream().map(e -> e.tool().spec()).toList());
  }

  public static Toolbox empty() {
    return EMPTY;
  }

  /** A toolbox of the given tools; two tools with one name are a configuration error. */
  public static Toolbox of(Collection<? extends Tool<?>> tools) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Tool<?> tool : tools) {
      Entry previous =
          entries.putIfAbsent(
              tool.name(), new Entry(tool, ArgumentSchemas.validator(tool.argumentType())));
      if (previous != null) {
        throw new ConfigurationException(
            "two tools are named '" + tool.name() + "': tool names must be unique in a workflow");
      }
    }
    return new Toolbox(java.util.Collections.unmodifiableMap(entries));
  }

  public static Toolbox of(Tool<?>... tools) {
    return of(List.of(tools));
  }

  public Optional<Tool<?>> find(String name) {
    return Optional.ofNullable(entries.get(name)).map(Entry::tool);
  }

  public List<Tool<?>> tools() {
    return entries.values().stream().<Tool<?>>map(Entry::tool).toList();
  }

  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** What the model is told, in declaration order. */
  public List<ToolSpec> specs() {
    return specs;
  }

  /** Resolves and validates one call; never throws. */
  public ToolResolution resolve(ToolCall call) {
    Entry entry = entries.get(call.name());
    JsonNode arguments = parse(call.arguments());
    String canonical = arguments == null ? call.arguments() : Json.canonical(arguments);
    if (entry == null) {
      return new ToolResolution.UnknownTool(call.name(), canonical, unknownToolMessage(call));
    }
    Tool<?> tool = entry.tool();
    if (arguments == null || !arguments.isObject()) {
      return new ToolResolution.InvalidArguments(
          tool,
          canonical,
          "Invalid arguments for tool '"
              + tool.name()
              + "': the arguments must be a JSON object, but were: "
              + abbreviate(call.arguments())
              + ". Call the tool again with arguments that match its schema.");
    }
    List<String> violations = entry.validator().violations(arguments);
    if (!violations.isEmpty()) {
      return new ToolResolution.InvalidArguments(
          tool,
          canonical,
          "Invalid arguments for tool '"
              + tool.name()
              + "':\n- "
              + String.join("\n- ", violations)
              + "\nFix these and call the tool again.");
    }
    return bind(tool, arguments, canonical);
  }

  private static ToolResolution bind(Tool<?> tool, JsonNode arguments, String canonical) {
    try {
      Object typed = Json.MAPPER.treeToValue(arguments, tool.argumentType());
      return new ToolResolution.Resolved(tool, arguments, typed, canonical);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String detail =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return new ToolResolution.InvalidArguments(
          tool,
          canonical,
          "Invalid arguments for tool '" + tool.name() + "': " + abbreviate(detail));
    }
  }

  private String unknownToolMessage(ToolCall call) {
    return "Unknown tool '"
        + abbreviate(call.name())
        + "'. The tools you may call are: "
        + String.join(", ", entries.keySet())
        + ".";
  }

  /** Arguments text must be exactly one JSON value: {@code {"a":1} {"b":2}} is not arguments. */
  private static final ObjectReader ARGUMENTS =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static JsonNode parse(String text) {
    try {
      return ARGUMENTS.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static String abbreviate(String text) {
    String oneLine = text == null ? "" : text.replace('\n', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  /** For tests and diagnostics. */
  @Override
  public String toString() {
    return "Toolbox" + new ArrayList<>(entries.keySet());
  }
}
