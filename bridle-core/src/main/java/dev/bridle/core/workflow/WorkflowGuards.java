package dev.bridle.core.workflow;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.guard.Guards;
import dev.bridle.core.workflow.WorkflowDefinition.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code guards:} section of a workflow file (the shape is in {@code docs/guards.md}). It is
 * checked when the file is loaded, and built into a {@link GuardChain} when the agent is, with the
 * {@link GuardHooks} the application registers: a {@code classifier} or {@code lookup} the file
 * names is code, not configuration.
 *
 * @param config the section as parsed (maps, lists, strings, numbers, booleans); empty without one
 * @param positions where each key of the section was written ({@code guards.chain[2].domains}), so
 *     that a problem found once the hooks are known still names the file, line and column
 */
public record WorkflowGuards(Map<String, Object> config, Map<String, Position> positions) {

  /** No {@code guards:} section: {@link GuardChain#none()}. */
  public static final WorkflowGuards NONE = new WorkflowGuards(Map.of(), Map.of());

  private static final Pattern GUARD_TYPE = Pattern.compile(" \\([^)]*\\)");
  private static final Pattern LAST_SEGMENT = Pattern.compile("(\\.[^.\\[]+|\\[\\d+])$");

  public WorkflowGuards {
    config = freeze(Objects.requireNonNull(config, "config"));
    positions = Map.copyOf(positions);
  }

  /** True when the file has no guards. */
  public boolean isEmpty() {
    return config.isEmpty();
  }

  /**
   * The chain the section says, with {@code hooks} supplying the classifiers and id lookups it
   * names.
   *
   * @throws WorkflowException at the offending entry, e.g. a {@code lookup} that {@code hooks} does
   *     not register
   */
  public GuardChain chain(GuardHooks hooks) {
    Objects.requireNonNull(hooks, "hooks");
    if (config.isEmpty()) {
      return GuardChain.none();
    }
    try {
      return Guards.fromConfig(config, hooks);
    } catch (ConfigurationException e) {
      throw located(e);
    }
  }

  /**
   * The section of a file being loaded, checked with every hook it names taken as registered (the
   * application supplies them later); every other mistake fails here, at its line.
   */
  static WorkflowGuards checked(Map<String, Object> config, SourceFile source) {
    WorkflowGuards guards = new WorkflowGuards(config, source.positionsUnder("guards"));
    guards.chain(placeholderHooks(guards.config));
    return guards;
  }

  /** Hooks under every name the chain refers to; they are never run, only resolved. */
  private static GuardHooks placeholderHooks(Map<String, Object> config) {
    Set<String> classifiers = new LinkedHashSet<>();
    Set<String> lookups = new LinkedHashSet<>();
    if (config.get("chain") instanceof List<?> chain) {
      for (Object entry : chain) {
        if (entry instanceof Map<?, ?> guard) {
          if (guard.get("classifier") instanceof String name) {
            classifiers.add(name);
          }
          if (guard.get("lookup") instanceof String name) {
            lookups.add(name);
          }
        }
      }
    }
    GuardHooks.Builder hooks = GuardHooks.builder();
    classifiers.forEach(name -> hooks.classifier(name, task -> false));
    lookups.forEach(name -> hooks.idLookup(name, id -> false));
    return hooks.build();
  }

  /**
   * The guard builder's message ({@code guards.chain[2] (blocklist).domain: ...}) at the line of
   * the deepest key it names that the file has.
   */
  private WorkflowException located(ConfigurationException e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    String path =
        colon > 0 && message.startsWith("guards")
            ? GUARD_TYPE.matcher(message.substring(0, colon)).replaceAll("")
            : "guards";
    while (!positions.containsKey(path) && LAST_SEGMENT.matcher(path).find()) {
      path = LAST_SEGMENT.matcher(path).replaceFirst("");
    }
    Position position = positions.get(path);
    if (position == null) {
      position =
          positions.values().stream()
              .findFirst()
              .map(p -> new Position(p.file(), 0, 0))
              .orElse(new Position("workflow", 0, 0));
    }
    return new WorkflowException(position.file(), position.line(), position.column(), message, e);
  }

  @SuppressWarnings("unchecked")
  private static <T> T freeze(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, freeze(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(freeze(item)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }
}
