package dev.bridle.core.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.cost.SpendStore;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimiter;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Credentials;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProviders;
import dev.bridle.core.workflow.WorkflowDefinition.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Loads workflow files and turns them into agents. */
public final class Workflows {

  /** Workflow files larger than this are refused: a workflow is configuration, not data. */
  public static final long MAX_FILE_BYTES = 1_000_000;

  private static final Set<String> PROVIDERS =
      Set.of("openai", "anthropic", "ollama", "gemini", "scripted");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final ObjectMapper YAML = createMapper();

  private Workflows() {}

  /** Reads and checks a workflow file; every problem is a {@link WorkflowException} with a line. */
  public static WorkflowDefinition load(Path file) {
    String where = file.toString();
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new WorkflowException(
            where, 0, 0, "file is larger than " + MAX_FILE_BYTES + " bytes", null);
      }
      return parse(where, Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new WorkflowException(where, 0, 0, "no such workflow file", e);
    } catch (IOException e) {
      throw new WorkflowException(where, 0, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses workflow YAML; {@code where} names its origin in error messages. */
  public static WorkflowDefinition parse(String where, String yaml) {
    if (yaml.isBlank()) {
      throw new WorkflowException(where, 0, 0, "the file is empty", null);
    }
    File file;
    try {
      file = YAML.readValue(yaml, File.class);
    } catch (JsonProcessingException e) {
      throw translate(where, yaml, e);
    }
    if (file == null) {
      throw new WorkflowException(where, 0, 0, "the file is empty", null);
    }
    return convert(file, new SourceFile(where, YamlLocations.index(yaml)), directoryOf(where));
  }

  /**
   * An agent builder for this workflow and model, for a workflow whose guards name no hooks and
   * that sets no budgets and no rate limits; see {@link #agent(WorkflowDefinition, ChatModel,
   * ClassLoader, WorkflowServices)}.
   */
  public static Agent.Builder agent(
      WorkflowDefinition workflow, ChatModel model, ClassLoader loader) {
    return agent(workflow, model, loader, WorkflowServices.none());
  }

  /**
   * An agent builder for this workflow and model, with {@code hooks} supplying the classifiers and
   * id lookups its guards name; see {@link #agent(WorkflowDefinition, ChatModel, ClassLoader,
   * WorkflowServices)}.
   */
  public static Agent.Builder agent(
      WorkflowDefinition workflow, ChatModel model, ClassLoader loader, GuardHooks hooks) {
    return agent(workflow, model, loader, WorkflowServices.none().withGuardHooks(hooks));
  }

  /**
   * An agent builder for this workflow and model, with the workflow's tools (from providers on
   * {@code loader}'s class path) checked against its effect cap, its policy and its rate limits;
   * the policy; the credentials the file lists; its guards (with {@code services}' hooks); its
   * prices and budgets (kept in {@code services}' spend store); its rate limits (on {@code
   * services}' limiter); its continuous evaluation (with production tools only); and {@code
   * services}' clock. Set a journal on the builder before {@code build()}.
   *
   * @throws ConfigurationException when the file sets budgets or rate limits and {@code services}
   *     has no spend store or rate limiter for them: their state must outlive one agent and one
   *     process, so an in-memory default would silently not hold
   * @throws WorkflowException when a guard names a hook that {@code services} does not register
   */
  public static Agent.Builder agent(
      WorkflowDefinition workflow, ChatModel model, ClassLoader loader, WorkflowServices services) {
    List<Tool<?>> tools = tools(workflow, loader, services.toolSupply());
    Agent.Builder agent =
        Agent.builder()
            .name(workflow.name())
            .version(workflow.version())
            .instructions(workflow.instructions())
            .model(model)
            .tools(tools)
            .limits(workflow.limits())
            .policy(workflow.policy())
            .credentials(Credentials.fromEnvironment(workflow.credentials()))
            .guards(workflow.guards().chain(services.guardHooks()))
            .metering(metering(workflow, services))
            .rateLimits(rateLimits(workflow, services))
            .clock(services.clock());
    // continuous evaluation scores production runs; an evaluation's own runs on isolated tools
    // are scored by its suite instead
    if (services.toolSupply() == WorkflowServices.ToolSupply.PRODUCTION) {
      workflow.evaluation().ifPresent(agent::continuousEvaluation);
    }
    return agent;
  }

  private static Metering metering(WorkflowDefinition workflow, WorkflowServices services) {
    BudgetSettings budgets = workflow.budgets();
    if (!budgets.limited()) {
      return budgets.pricesOnly();
    }
    SpendStore store =
        services
            .spendStore()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "workflow '"
                            + workflow.name()
                            + "' sets budgets ("
                            + limitedBudgets(budgets.budgets())
                            + "), but no spend store was given: a budget must count what earlier"
                            + " runs spent, also after a restart, so pass a durable SpendStore"
                            + " with WorkflowServices.withSpendStore(...)"));
    return budgets.enforcedWith(store, services.clock());
  }

  private static String limitedBudgets(Budgets budgets) {
    List<String> names = new ArrayList<>();
    budgets.perRun().ifPresent(limit -> names.add("per-run"));
    budgets.perUserPerMonth().ifPresent(limit -> names.add("per-user-per-month"));
    budgets.perWorkflowPerDay().ifPresent(limit -> names.add("per-workflow-per-day"));
    return String.join(", ", names);
  }

  private static RateLimits rateLimits(WorkflowDefinition workflow, WorkflowServices services) {
    if (workflow.rateLimits().isEmpty()) {
      return RateLimits.NONE;
    }
    RateLimiter limiter =
        services
            .rateLimiter()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "workflow '"
                            + workflow.name()
                            + "' sets "
                            + workflow.rateLimits().size()
                            + (workflow.rateLimits().size() == 1 ? " rate limit" : " rate limits")
                            + ", but no rate limiter was given: a limit holds only if every run it"
                            + " counts shares the limiter, so pass one with"
                            + " WorkflowServices.withRateLimiter(...) (a LocalRateLimiter for one"
                            + " process, the store's for a cluster)"));
    return new RateLimits(workflow.rateLimits(), limiter);
  }

  /**
   * The workflow's tools, resolved through their providers and checked: each against the effect
   * cap, and the policy's tool globs and constrained arguments against the tools (a {@link
   * WorkflowException} at the key when one names nothing).
   */
  public static List<Tool<?>> tools(WorkflowDefinition workflow, ClassLoader loader) {
    return tools(workflow, loader, WorkflowServices.ToolSupply.PRODUCTION);
  }

  /**
   * The workflow's tools as {@code supply} obtains them from each provider (isolated ones for an
   * evaluation), checked as {@link #tools(WorkflowDefinition, ClassLoader)} checks them.
   */
  public static List<Tool<?>> tools(
      WorkflowDefinition workflow, ClassLoader loader, WorkflowServices.ToolSupply supply) {
    List<Tool<?>> tools = new ArrayList<>();
    for (WorkflowDefinition.ToolSource source : workflow.tools()) {
      tools.addAll(select(source, supply.tools(ToolProviders.find(source.provider(), loader))));
    }
    for (Tool<?> tool : tools) {
      if (tool.effect().compareTo(workflow.effectCap()) > 0) {
        throw new ConfigurationException(
            "workflow '"
                + workflow.name()
                + "': tool '"
                + tool.name()
                + "' has effect "
                + tool.effect()
                + ", above the workflow's effect-cap "
                + workflow.effectCap()
                + "; raise effect-cap or leave the tool out with 'include'");
      }
    }
    PolicyCheck.against(workflow, tools);
    return tools;
  }

  private static List<Tool<?>> select(
      WorkflowDefinition.ToolSource source, Collection<Tool<?>> offered) {
    if (source.include().isEmpty()) {
      return List.copyOf(offered);
    }
    Map<String, Tool<?>> byName =
        offered.stream().collect(Collectors.toMap(Tool::name, Function.identity()));
    List<Tool<?>> selected = new ArrayList<>();
    for (String name : source.include()) {
      Tool<?> tool = byName.get(name);
      if (tool == null) {
        throw new ConfigurationException(
            "tool provider '"
                + source.provider()
                + "' has no tool '"
                + name
                + "'; it offers: "
                + String.join(", ", new TreeSet<>(byName.keySet())));
      }
      selected.add(tool);
    }
    return selected;
  }

  private static WorkflowDefinition convert(File file, SourceFile source, Path directory) {
    Map<String, WorkflowDefinition.Position> positions = new HashMap<>();
    List<ModelSpec> models = models(file, source);
    Policy policy =
        file.policy() == null ? Policy.defaults() : file.policy().toPolicy(source, positions);
    long maxOutputTokens =
        models.stream()
            .map(ModelSpec::maxOutputTokens)
            .flatMap(Optional::stream)
            .mapToLong(Integer::longValue)
            .max()
            .orElse(BudgetSettings.DEFAULT_MAX_OUTPUT_TOKENS);
    BudgetSettings budgets =
        file.budgets() == null
            ? new BudgetSettings(
                Budgets.NONE,
                BudgetSettings.OnExhausted.STOP,
                maxOutputTokens,
                PriceTable.shipped(),
                Optional.empty())
            : file.budgets().toSettings(source, directory, maxOutputTokens);
    return new WorkflowDefinition(
        file.name(),
        file.version(),
        file.goal().strip(),
        models,
        file.resilience() == null ? ResilienceSettings.DEFAULT : file.resilience().toSettings(),
        file.instructions() == null ? "" : file.instructions().strip(),
        file.tools().stream()
            .map(t -> new WorkflowDefinition.ToolSource(t.provider(), t.include()))
            .toList(),
        file.effectCap() == null ? dev.bridle.core.tool.Effect.READ : file.effectCap(),
        file.limits() == null ? dev.bridle.core.run.Limits.DEFAULT : file.limits().toLimits(),
        file.script() == null
            ? List.of()
            : file.script().stream().map(WorkflowDefinition.ScriptEntry::toTurn).toList(),
        policy,
        credentials(file.credentials(), source),
        file.guards() == null || file.guards().isEmpty()
            ? WorkflowGuards.NONE
            : WorkflowGuards.checked(file.guards(), source),
        budgets,
        rateLimits(file.rateLimits(), source, positions),
        file.rollout() == null ? RolloutSettings.NONE : file.rollout().toSettings(source),
        file.evaluation() == null
            ? Optional.empty()
            : Optional.of(file.evaluation().toSettings(source)),
        file.promotion() == null
            ? dev.bridle.core.deploy.ReadinessSettings.DEFAULT
            : file.promotion().toSettings(source),
        positions);
  }

  /** The model, or the cascade; exactly one of {@code model:} and {@code models:}. */
  private static List<ModelSpec> models(File file, SourceFile source) {
    if (file.model() != null && file.models() != null) {
      throw source.problem(
          "models",
          "give either 'model' (one model) or 'models' (a cascade, cheapest first), not both");
    }
    if (file.model() != null) {
      return List.of(file.model().toSpec());
    }
    if (file.models() == null) {
      throw source.problem("", "missing required key 'model' (or 'models' for a cascade)");
    }
    if (file.models().isEmpty()) {
      throw source.problem(
          "models", "models must list at least one model, cheapest first and strongest last");
    }
    List<ModelSpec> specs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < file.models().size(); i++) {
      String path = "models[" + i + "]";
      WorkflowDefinition.ModelSection section = file.models().get(i);
      if (section == null) {
        throw source.problem(path, "a model needs a provider and a name, but this entry is empty");
      }
      ModelSpec spec = section.toSpec();
      if (spec.provider().equals("scripted")) {
        throw source.problem(
            path + ".provider",
            "the scripted model plays the workflow's script and cannot be part of a cascade; use"
                + " 'model: {provider: scripted, name: scripted}' (or --model scripted) instead");
      }
      if (!ids.add(spec.id() + " " + spec.baseUrl().orElse(""))) {
        throw source.problem(
            path, "model '" + spec.id() + "' is listed twice; a cascade tries each model once");
      }
      specs.add(spec);
    }
    return specs;
  }

  /** The {@code rate-limits:} list; {@code positions} receives where each tool glob was written. */
  private static List<RateLimit> rateLimits(
      List<RateLimitEntry> entries,
      SourceFile source,
      Map<String, WorkflowDefinition.Position> positions) {
    if (entries == null) {
      return List.of();
    }
    List<RateLimit> limits = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "rate-limits[" + i + "]";
      RateLimitEntry entry = entries.get(i);
      if (entry == null) {
        throw source.problem(
            path, "a rate limit needs scope, per and max, but this entry is empty");
      }
      if (entry.tools() != null) {
        positions.put(path + ".tools", source.position(path + ".tools"));
      }
      limits.add(entry.toRateLimit());
    }
    return limits;
  }

  /** The directory that paths in the file ({@code budgets.prices}) are relative to. */
  private static Path directoryOf(String where) {
    Path current = Path.of("").toAbsolutePath();
    try {
      Path parent = Path.of(where).toAbsolutePath().getParent();
      return parent == null ? current : parent;
    } catch (InvalidPathException e) {
      return current;
    }
  }

  /** The environment variables listed under {@code credentials:}, checked. */
  private static Set<String> credentials(List<String> names, SourceFile source) {
    if (names == null) {
      return Set.of();
    }
    Set<String> checked = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String path = "credentials[" + i + "]";
      if (name == null || !ENVIRONMENT_VARIABLE.matcher(name).matches()) {
        throw source.problem(
            path,
            "credentials lists environment variable names (letters, digits, '_'), but this entry"
                + " is "
                + (name == null ? "empty" : "'" + name + "'"));
      }
      if (!checked.add(name)) {
        throw source.problem(path, "credential '" + name + "' is listed twice");
      }
    }
    return checked;
  }

  static void checkFile(String name, String version, String goal, List<?> tools) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be lower-case letters, digits and dashes (at most 64), but was '"
              + name
              + "'");
    }
    if (version.isBlank()) {
      throw new IllegalArgumentException("version must not be blank");
    }
    if (goal.isBlank()) {
      throw new IllegalArgumentException(
          "goal must be one sentence saying what the workflow achieves");
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException("tools must name at least one tool provider");
    }
  }

  static void checkModel(String provider) {
    if (!PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException(
          "model provider '"
              + provider
              + "' is not known; use one of "
              + String.join(", ", new TreeSet<>(PROVIDERS)));
    }
  }

  private static WorkflowException translate(String where, String yaml, JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    if (e instanceof JsonMappingException m) {
      location = YamlLocations.index(yaml).find(locatedPath(m)).orElse(location);
    }
    int line = location == null ? 0 : location.getLineNr();
    int column = location == null ? 0 : location.getColumnNr();
    return new WorkflowException(where, line, column, describe(e), e);
  }

  /** The path whose line a message should point at: the key, or for a missing key its parent. */
  private static String locatedPath(JsonMappingException e) {
    List<JsonMappingException.Reference> refs = new ArrayList<>(e.getPath());
    if (e instanceof MismatchedInputException
        && e.getOriginalMessage().startsWith("Missing required creator property")
        && !refs.isEmpty()) {
      refs.remove(refs.size() - 1);
    }
    return path(refs);
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : "; known keys here: "
                  + u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "));
      return "unknown key '" + u.getPropertyName() + "'" + in(u, true) + known;
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = v.getCause() == null ? v : v.getCause();
      return cause.getMessage() + in(v, false);
    }
    if (e instanceof InvalidFormatException f) {
      return "wrong value for '"
          + path(f)
          + "': "
          + quote(f.getValue())
          + " is not "
          + typeName(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m) {
      String message = m.getOriginalMessage();
      if (message.startsWith("Missing required creator property")) {
        String key = message.replaceAll(".*'([^']+)'.*", "$1");
        boolean pathEndsWithKey =
            !m.getPath().isEmpty() && key.equals(m.getPath().getLast().getFieldName());
        return "missing required key '" + key + "'" + in(m, pathEndsWithKey);
      }
      if (m.getTargetType() != null) {
        String path = path(m);
        return "wrong type for "
            + (path.isEmpty() ? "the file" : "'" + path + "'")
            + ": expected "
            + typeName(m.getTargetType());
      }
      return message + in(m, false);
    }
    if (e instanceof JsonParseException p) {
      return "not valid YAML: " + p.getOriginalMessage();
    }
    if (e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException i) {
      return i.getMessage() + in(m, false);
    }
    return e.getOriginalMessage();
  }

  private static String in(JsonMappingException e, boolean dropLast) {
    List<JsonMappingException.Reference> refs = new ArrayList<>(e.getPath());
    if (dropLast && !refs.isEmpty()) {
      refs.remove(refs.size() - 1);
    }
    String path = path(refs);
    return path.isEmpty() ? " at the top level" : " in '" + path + "'";
  }

  private static String path(JsonMappingException e) {
    return path(e.getPath());
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String quote(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class || type == java.math.BigDecimal.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "text";
    }
    if (type == Duration.class) {
      return "a duration (500ms, 30s, 2m, 1h)";
    }
    if (type.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping of keys to values";
  }

  private static ObjectMapper createMapper() {
    SimpleModule durations = new SimpleModule("bridle-durations");
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser parser, DeserializationContext context)
              throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
              return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            try {
              return Durations.parse(text);
            } catch (IllegalArgumentException e) {
              throw InvalidFormatException.from(parser, e.getMessage(), text, Duration.class);
            }
          }
        });
    return YAMLMapper.builder()
        .addModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
  }
}
