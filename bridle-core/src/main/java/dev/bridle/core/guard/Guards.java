package dev.bridle.core.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.guard.pii.PiiType;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds a {@link GuardChain} from plain configuration values, as a workflow file's {@code guards}
 * section holds them after YAML parsing (maps, lists, strings, numbers, booleans):
 *
 * <pre>{@code
 * max-reasks: 2
 * chain:
 *   - type: size-limit
 *     input: 20000
 *   - type: pii
 *     types: [email, credit-card]
 * }</pre>
 *
 * Every key is documented in {@code docs/guards.md}. Unknown guard types, unknown keys, values of
 * the wrong type and references to hooks that were not registered fail with a {@link
 * ConfigurationException} naming the entry ({@code guards.chain[1] (pii).types[0]}) and what was
 * expected.
 */
public final class Guards {

  private static final SortedMap<String, Function<Reader, Guard>> TYPES = types(new TreeMap<>());

  private static SortedMap<String, Function<Reader, Guard>> types(
      SortedMap<String, Function<Reader, Guard>> types) {
    types.put(InputScopeGuard.NAME, Guards::inputScope);
    types.put(BlocklistGuard.NAME, Guards::blocklist);
    types.put(SizeLimitGuard.NAME, Guards::sizeLimit);
    types.put(InjectionHeuristicGuard.NAME, Guards::injection);
    types.put(ProhibitedLanguageGuard.NAME, Guards::prohibited);
    types.put(JsonSchemaGuard.NAME, Guards::jsonSchema);
    types.put(IdValidityGuard.NAME, Guards::idValidity);
    types.put(PiiRedactionGuard.NAME, Guards::pii);
    return Collections.unmodifiableSortedMap(types);
  }

  private Guards() {}

  /** The guard types {@link #fromConfig} knows, sorted. */
  public static Set<String> types() {
    return TYPES.keySet();
  }

  /** A chain from {@code config}, for configurations that name no hooks. */
  public static GuardChain fromConfig(Map<String, ?> config) {
    return fromConfig(config, GuardHooks.none());
  }

  /**
   * A chain from {@code config}; {@code classifier} and {@code lookup} keys name entries of {@code
   * hooks}.
   *
   * @throws ConfigurationException naming the entry and key that is wrong
   */
  public static GuardChain fromConfig(Map<String, ?> config, GuardHooks hooks) {
    ConfigEntry root = new ConfigEntry("guards", config);
    GuardChain.Builder chain = GuardChain.builder();
    root.integer("max-reasks").ifPresent(chain::maxReasks);
    Optional<Object> entries = root.raw("chain");
    root.requireNoOtherKeys();
    if (entries.isPresent()) {
      if (!(entries.get() instanceof List<?> list)) {
        throw root.error(
            "chain", "must be a list of guards, but was " + ConfigEntry.describe(entries.get()));
      }
      for (int i = 0; i < list.size(); i++) {
        chain.add(guard("guards.chain[" + i + "]", list.get(i), hooks));
      }
    }
    try {
      return chain.build();
    } catch (ConfigurationException e) {
      throw new ConfigurationException("guards: " + e.getMessage(), e);
    }
  }

  private static Guard guard(String path, Object value, GuardHooks hooks) {
    if (!(value instanceof Map<?, ?>)) {
      throw new ConfigurationException(
          path + ": a guard must be a map with a 'type', but was " + ConfigEntry.describe(value));
    }
    Map<String, Object> values = new ConfigEntry(path, Map.of()).asMap("type", value);
    if (!(values.get("type") instanceof String type)) {
      throw new ConfigurationException(
          path + ": every guard needs a 'type', one of " + String.join(", ", TYPES.keySet()));
    }
    Function<Reader, Guard> factory = TYPES.get(type);
    if (factory == null) {
      throw new ConfigurationException(
          path
              + ": unknown guard type '"
              + type
              + "'; known types: "
              + String.join(", ", TYPES.keySet()));
    }
    Reader reader = new Reader(new ConfigEntry(path + " (" + type + ")", values), hooks);
    reader.entry.raw("type");
    try {
      return factory.apply(reader);
    } catch (ConfigurationException e) {
      if (e.getMessage().startsWith(path)) {
        throw e;
      }
      throw new ConfigurationException(reader.entry.path() + ": " + e.getMessage(), e);
    }
  }

  /** A config entry plus the hooks, with the readers every guard type shares. */
  private record Reader(ConfigEntry entry, GuardHooks hooks) {

    /** Builds the guard once every key was read and none is unknown. */
    Guard done(Supplier<? extends Guard> build) {
      entry.requireNoOtherKeys();
      return build.get();
    }

    Optional<String> name() {
      return entry.optionalString("name");
    }

    Optional<Set<GuardStage>> stages() {
      List<String> names = entry.strings("stages");
      if (names.isEmpty()) {
        return entry.raw("stages").isPresent()
            ? Optional.of(Set.of()) // an explicit empty list is rejected by the builder
            : Optional.empty();
      }
      Set<GuardStage> stages = EnumSet.noneOf(GuardStage.class);
      for (String name : names) {
        try {
          stages.add(GuardStage.fromConfigName(name));
        } catch (IllegalArgumentException e) {
          throw entry.unknownValue("stages", e);
        }
      }
      return Optional.of(stages);
    }

    Optional<GuardAction> action() {
      return entry
          .optionalString("action")
          .map(
              a -> {
                try {
                  return GuardAction.fromConfigName(a);
                } catch (IllegalArgumentException e) {
                  throw entry.unknownValue("action", e);
                }
              });
    }
  }

  private static Guard inputScope(Reader r) {
    InputScopeGuard.Builder b = InputScopeGuard.builder();
    r.name().ifPresent(b::name);
    b.keywords(r.entry().strings("keywords"));
    b.patterns(r.entry().strings("patterns"));
    r.entry()
        .optionalString("classifier")
        .ifPresent(
            name ->
                b.classifier(
                    r.hooks()
                        .classifier(name)
                        .orElseThrow(
                            () ->
                                r.entry()
                                    .error(
                                        "classifier",
                                        "no scope classifier named '"
                                            + name
                                            + "' is registered"
                                            + registered(r.hooks().classifierNames())))));
    r.action().ifPresent(b::action);
    return r.done(b::build);
  }

  private static Guard blocklist(Reader r) {
    BlocklistGuard.Builder b = BlocklistGuard.builder();
    r.name().ifPresent(b::name);
    r.stages().ifPresent(b::stages);
    b.domains(r.entry().strings("domains"));
    b.terms(r.entry().strings("terms"));
    r.action().ifPresent(b::action);
    return r.done(b::build);
  }

  private static Guard sizeLimit(Reader r) {
    SizeLimitGuard.Builder b = SizeLimitGuard.builder();
    r.name().ifPresent(b::name);
    for (GuardStage stage : GuardStage.values()) {
      String key = stage.configName();
      Optional<Object> value = r.entry().raw(key);
      if (value.isEmpty()) {
        continue;
      }
      if (value.get() instanceof Map<?, ?>) {
        ConfigEntry limit =
            new ConfigEntry(r.entry().path() + "." + key, r.entry().asMap(key, value.get()));
        int max =
            limit.integer("max-chars").orElseThrow(() -> limit.error("'max-chars' is required"));
        Optional<String> action = limit.optionalString("action");
        limit.requireNoOtherKeys();
        if (action.isPresent()) {
          GuardAction parsed;
          try {
            parsed = GuardAction.fromConfigName(action.get());
          } catch (IllegalArgumentException e) {
            throw limit.unknownValue("action", e);
          }
          b.limit(stage, max, parsed);
        } else {
          b.limit(stage, max);
        }
      } else {
        b.limit(stage, r.entry().integer(key).orElseThrow());
      }
    }
    return r.done(b::build);
  }

  private static Guard injection(Reader r) {
    InjectionHeuristicGuard.Builder b = InjectionHeuristicGuard.builder();
    r.name().ifPresent(b::name);
    r.stages().ifPresent(b::stages);
    r.entry().number("flag-at").ifPresent(b::flagAt);
    r.entry().number("escalate-at").ifPresent(b::escalateAt);
    r.entry().bool("flag-only").ifPresent(b::flagOnly);
    r.entry().bool("check-trusted").ifPresent(b::checkTrusted);
    return r.done(b::build);
  }

  private static Guard prohibited(Reader r) {
    ProhibitedLanguageGuard.Builder b = ProhibitedLanguageGuard.builder();
    r.name().ifPresent(b::name);
    r.stages().ifPresent(b::stages);
    b.terms(r.entry().strings("terms"));
    r.action().ifPresent(b::action);
    return r.done(b::build);
  }

  private static Guard jsonSchema(Reader r) {
    String name = r.name().orElse(JsonSchemaGuard.NAME);
    Object schema =
        r.entry().raw("schema").orElseThrow(() -> r.entry().error("'schema' is required"));
    JsonNode node;
    if (schema instanceof String text) {
      try {
        node = Json.MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw r.entry().error("schema", "is not valid JSON: " + e.getOriginalMessage());
      }
    } else if (schema instanceof Map<?, ?> || schema instanceof Boolean) {
      node = Json.MAPPER.valueToTree(schema);
    } else {
      throw r.entry()
          .error(
              "schema",
              "must be a JSON Schema (a map, or a string of JSON), but was "
                  + ConfigEntry.describe(schema));
    }
    return r.done(() -> JsonSchemaGuard.of(name, node));
  }

  private static Guard idValidity(Reader r) {
    IdValidityGuard.Builder b = IdValidityGuard.builder();
    r.name().ifPresent(b::name);
    r.stages().ifPresent(b::stages);
    b.idPattern(r.entry().string("id-pattern"));
    String lookup = r.entry().string("lookup");
    Predicate<String> exists =
        r.hooks()
            .idLookup(lookup)
            .orElseThrow(
                () ->
                    r.entry()
                        .error(
                            "lookup",
                            "no id lookup named '"
                                + lookup
                                + "' is registered"
                                + registered(r.hooks().idLookupNames())));
    b.exists(exists);
    b.tools(r.entry().strings("tools"));
    r.entry().integer("max-ids").ifPresent(b::maxIds);
    r.action().ifPresent(b::action);
    return r.done(b::build);
  }

  private static Guard pii(Reader r) {
    PiiRedactionGuard.Builder b = PiiRedactionGuard.builder();
    r.name().ifPresent(b::name);
    r.stages().ifPresent(b::stages);
    List<String> typeNames = r.entry().strings("types");
    if (!typeNames.isEmpty()) {
      List<PiiType> types = new ArrayList<>();
      for (int i = 0; i < typeNames.size(); i++) {
        types.add(piiType(r.entry(), i, typeNames.get(i)));
      }
      b.types(types);
    } else if (r.entry().raw("types").isPresent()) {
      throw r.entry().error("types", "must not be empty");
    }
    b.allow(r.entry().strings("allow"));
    r.entry().number("entropy-threshold").ifPresent(b::entropyThreshold);
    r.entry().integer("min-token-length").ifPresent(b::minTokenLength);
    r.action().ifPresent(b::action);
    return r.done(b::build);
  }

  /** A {@link PiiType} from its kebab-case ({@code credit-card}) or constant name. */
  static PiiType piiType(ConfigEntry entry, int index, String name) {
    String constant = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return PiiType.valueOf(constant);
    } catch (IllegalArgumentException e) {
      throw entry.error(
          "types[" + index + "]",
          "unknown PII type '"
              + name
              + "'; known types: "
              + Arrays.stream(PiiType.values())
                  .map(t -> t.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .collect(Collectors.joining(", ")));
    }
  }

  private static String registered(Iterable<String> names) {
    List<String> list = new ArrayList<>();
    names.forEach(list::add);
    return list.isEmpty()
        ? " (none are registered; pass them in GuardHooks)"
        : "; registered: " + String.join(", ", list);
  }
}
