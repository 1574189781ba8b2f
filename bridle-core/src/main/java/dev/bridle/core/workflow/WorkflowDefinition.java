package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.deploy.ReadinessSettings;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.run.Limits;
import dev.bridle.core.tool.Effect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A workflow file, parsed and checked: everything an operator says about one narrow agent workflow.
 * The format is documented in {@code docs/workflow-format.md}; load files with {@link
 * Workflows#load(java.nio.file.Path)}.
 *
 * @param goal the one sentence that says what the workflow achieves
 * @param models the model ({@code model:}), or the cascade ({@code models:}), cheapest first and
 *     strongest last; never empty
 * @param resilience retries, timeouts and circuit breakers for calling the models; {@link
 *     ResilienceSettings#DEFAULT} without a {@code resilience:} section
 * @param effectCap the strongest effect any of its tools may have; a tool above it is refused when
 *     the workflow is loaded
 * @param script the turns the scripted model plays ({@code --model scripted}); may be empty
 * @param policy decides every tool call; {@link Policy#defaults()} when the file has no {@code
 *     policy:} section
 * @param credentials the environment variables the workflow's tools may read through {@link
 *     dev.bridle.core.tool.Credentials}; no others
 * @param guards the {@code guards:} section, built into a chain with the application's hooks by
 *     {@link Workflows#agent}; {@link WorkflowGuards#NONE} without one
 * @param budgets budgets, prices and what a run does when a budget is spent; {@link
 *     BudgetSettings#defaults()} without a {@code budgets:} section
 * @param rateLimits the limits on tool calls, paired with a {@link
 *     dev.bridle.core.limits.RateLimiter} by {@link Workflows#agent}; empty without {@code
 *     rate-limits:}
 * @param rollout the share of the workflow's new runs this version gets when several versions are
 *     served side by side; {@link RolloutSettings#NONE} without a {@code rollout:} section
 * @param evaluation the online checks a share of the workflow's production runs get when they end
 *     ({@code evaluation:}); empty without the section
 * @param promotion the thresholds its deployment evidence must meet to be ready for the next mode
 *     ({@code promotion:}); {@link ReadinessSettings#DEFAULT} without the section
 * @param positions where the file wrote the keys that name tools or arguments (e.g. {@code
 *     policy.rules[2].tools}, {@code rate-limits[0].tools}), so that problems found once the tools
 *     are known (a glob that matches no tool) still name the file, line and column
 */
public record WorkflowDefinition(
    String name,
    String version,
    String goal,
    List<ModelSpec> models,
    ResilienceSettings resilience,
    String instructions,
    List<ToolSource> tools,
    Effect effectCap,
    Limits limits,
    List<ScriptTurn> script,
    Policy policy,
    Set<String> credentials,
    WorkflowGuards guards,
    BudgetSettings budgets,
    List<RateLimit> rateLimits,
    RolloutSettings rollout,
    Optional<dev.bridle.core.run.ContinuousEvaluation> evaluation,
    ReadinessSettings promotion,
    Map<String, Position> positions) {

  public WorkflowDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(goal, "goal");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a workflow needs a model");
    }
    Objects.requireNonNull(resilience, "resilience");
    Objects.requireNonNull(instructions, "instructions");
    tools = List.copyOf(tools);
    Objects.requireNonNull(effectCap, "effectCap");
    Objects.requireNonNull(limits, "limits");
    script = List.copyOf(script);
    Objects.requireNonNull(policy, "policy");
    credentials = Collections.unmodifiableSortedSet(new TreeSet<>(credentials));
    Objects.requireNonNull(guards, "guards");
    Objects.requireNonNull(budgets, "budgets");
    rateLimits = List.copyOf(rateLimits);
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(evaluation, "evaluation");
    Objects.requireNonNull(promotion, "promotion");
    positions = Map.copyOf(positions);
  }

  /**
   * The workflow's model: the one under {@code model:}, or the first (cheapest) of a cascade under
   * {@code models:}.
   */
  public ModelSpec model() {
    return models.getFirst();
  }

  /** True when the file lists a cascade of more than one model. */
  public boolean isCascade() {
    return models.size() > 1;
  }

  /** A place in a workflow file; {@code line} and {@code column} are 1-based, 0 when unknown. */
  public record Position(String file, int line, int column) {
    public Position {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * Tools from one {@link dev.bridle.core.tool.ToolProvider}, all of them or only those listed in
   * {@code include} (least privilege: offer the model only what the workflow needs).
   */
  public record ToolSource(String provider, List<String> include) {
    public ToolSource {
      Objects.requireNonNull(provider, "provider");
      include = List.copyOf(include);
    }
  }

  // ---- The file's shape, bound by Jackson; converted to the records above by Workflows. ----

  record File(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "version", required = true) String version,
      @JsonProperty(value = "goal", required = true) String goal,
      @JsonProperty("model") ModelSection model,
      @JsonProperty("models") List<ModelSection> models,
      @JsonProperty("resilience") ResilienceSection resilience,
      @JsonProperty("instructions") String instructions,
      @JsonProperty(value = "tools", required = true) List<ToolEntry> tools,
      @JsonProperty("effect-cap") Effect effectCap,
      @JsonProperty("limits") LimitsSection limits,
      @JsonProperty("script") List<ScriptEntry> script,
      @JsonProperty("policy") PolicySection policy,
      @JsonProperty("credentials") List<String> credentials,
      @JsonProperty("guards") Map<String, Object> guards,
      @JsonProperty("budgets") BudgetsSection budgets,
      @JsonProperty("rate-limits") List<RateLimitEntry> rateLimits,
      @JsonProperty("rollout") RolloutSection rollout,
      @JsonProperty("evaluation") EvaluationSection evaluation,
      @JsonProperty("promotion") PromotionSection promotion) {
    File {
      Workflows.checkFile(name, version, goal, tools);
    }
  }

  record ModelSection(
      @JsonProperty(value = "provider", required = true) String provider,
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("base-url") String baseUrl,
      @JsonProperty("api-key-env") String apiKeyEnv,
      @JsonProperty("timeout") Duration timeout,
      @JsonProperty("temperature") Double temperature,
      @JsonProperty("max-output-tokens") Integer maxOutputTokens) {

    ModelSection {
      Workflows.checkModel(provider);
    }

    ModelSpec toSpec() {
      return new ModelSpec(
          provider,
          name,
          Optional.ofNullable(baseUrl),
          Optional.ofNullable(apiKeyEnv),
          timeout == null ? ModelSpec.DEFAULT_TIMEOUT : timeout,
          Optional.ofNullable(temperature),
          Optional.ofNullable(maxOutputTokens));
    }
  }

  record ToolEntry(String provider, List<String> include) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ToolEntry named(String provider) {
      return new ToolEntry(provider, List.of());
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static ToolEntry of(
        @JsonProperty(value = "provider", required = true) String provider,
        @JsonProperty("include") List<String> include) {
      return new ToolEntry(provider, include == null ? List.of() : include);
    }
  }

  record LimitsSection(
      @JsonProperty("max-steps") Integer maxSteps,
      @JsonProperty("deadline") Duration deadline,
      @JsonProperty("loop-threshold") Integer loopThreshold) {

    LimitsSection {
      limitsOf(maxSteps, deadline, loopThreshold);
    }

    Limits toLimits() {
      return limitsOf(maxSteps, deadline, loopThreshold);
    }

    private static Limits limitsOf(Integer maxSteps, Duration deadline, Integer loopThreshold) {
      Limits defaults = Limits.DEFAULT;
      return new Limits(
          maxSteps == null ? defaults.maxSteps() : maxSteps,
          deadline == null ? defaults.deadline() : deadline,
          loopThreshold == null ? defaults.loopThreshold() : loopThreshold);
    }
  }

  record ScriptEntry(
      @JsonProperty("say") String say,
      @JsonProperty("call") String call,
      @JsonProperty("args") JsonNode args,
      @JsonProperty("raw-args") String rawArgs,
      @JsonProperty("calls") List<ScriptCallEntry> calls) {

    ScriptEntry {
      if (rawArgs != null && (call == null || args != null)) {
        throw new IllegalArgumentException(
            "'raw-args' belongs to 'call' and replaces 'args': give one of them");
      }
      int forms = (say != null ? 1 : 0) + (call != null ? 1 : 0) + (calls != null ? 1 : 0);
      if (forms != 1) {
        throw new IllegalArgumentException(
            "a script turn needs exactly one of 'say', 'call' (with 'args') or 'calls'");
      }
      if (args != null && call == null) {
        throw new IllegalArgumentException("'args' belongs to 'call'");
      }
      if (args != null && !args.isObject()) {
        throw new IllegalArgumentException("'args' must be a mapping of argument names to values");
      }
      if (calls != null && calls.isEmpty()) {
        throw new IllegalArgumentException("'calls' needs at least one call");
      }
    }

    ScriptTurn toTurn() {
      if (say != null) {
        return new ScriptTurn.Answer(say);
      }
      if (call != null) {
        JsonNode arguments = rawArgs != null ? TextNode.valueOf(rawArgs) : argsOrEmpty(args);
        return new ScriptTurn.Calls(List.of(new ScriptTurn.Call(call, arguments)));
      }
      List<ScriptTurn.Call> turnCalls = new ArrayList<>();
      for (ScriptCallEntry entry : calls) {
        turnCalls.add(
            new ScriptTurn.Call(
                entry.tool(),
                entry.rawArgs() != null
                    ? TextNode.valueOf(entry.rawArgs())
                    : argsOrEmpty(entry.args())));
      }
      return new ScriptTurn.Calls(turnCalls);
    }
  }

  record ScriptCallEntry(
      @JsonProperty(value = "tool", required = true) String tool,
      @JsonProperty("args") JsonNode args,
      @JsonProperty("raw-args") String rawArgs) {

    ScriptCallEntry {
      if (rawArgs != null && args != null) {
        throw new IllegalArgumentException("give 'args' or 'raw-args', not both");
      }
    }
  }

  private static JsonNode argsOrEmpty(JsonNode args) {
    return args == null
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : args;
  }
}
