package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.workflow.ResilienceSettings;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.models.ChatModels;
import dev.bridle.models.resilience.BreakerPolicy;
import dev.bridle.models.resilience.CascadeChatModel;
import dev.bridle.models.resilience.ProviderBreakers;
import dev.bridle.models.resilience.ResilientChatModel;
import dev.bridle.models.resilience.RetryPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --model-url}, {@code --api-key-env}: which model serves a run.
 *
 * <p>A provider's model is wrapped in a {@link ResilientChatModel} with the workflow's {@code
 * resilience:} settings (retries, timeouts) and the process's circuit breaker for its provider; a
 * workflow's {@code models:} cascade becomes a {@link CascadeChatModel} over such models. The
 * scripted model is used as it is.
 */
final class ModelOptions {

  /**
   * The circuit breakers of this process, one set per breaker policy: every model of one provider
   * (and one endpoint) counts on the same breaker, whichever workflow or command calls it.
   */
  private static final ConcurrentMap<BreakerPolicy, ProviderBreakers> BREAKERS =
      new ConcurrentHashMap<>();

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "scripted | openai:NAME | anthropic:NAME | ollama:NAME | gemini:NAME"
              + " (default: the workflow's model, or its cascade).")
  String model;

  @Option(
      names = "--model-url",
      paramLabel = "URL",
      description = "Base URL of the model server (any OpenAI-compatible server for openai).")
  String modelUrl;

  @Option(
      names = "--api-key-env",
      paramLabel = "NAME",
      description =
          "The environment variable holding the API key (default: the workflow's, else the"
              + " provider's, e.g. OPENAI_API_KEY). With --model-url and no key, OpenAI-compatible"
              + " servers are called without one.")
  String apiKeyEnv;

  /** The model for a run of {@code workflow}: the options override the workflow file. */
  ChatModel choose(WorkflowDefinition workflow, Path workflowFile) {
    List<ModelSpec> specs = specs(workflow, workflowFile);
    if (specs.size() == 1 && specs.getFirst().provider().equals("scripted")) {
      if (workflow.script().isEmpty()) {
        throw new ConfigurationException(
            workflowFile + ": --model scripted needs a 'script:' section in the workflow file");
      }
      return ScriptedChatModel.of(workflow.name(), workflow.script());
    }
    ResilienceSettings resilience = workflow.resilience();
    RetryPolicy retry;
    ProviderBreakers breakers;
    try {
      retry = retryPolicy(resilience);
      breakers =
          BREAKERS.computeIfAbsent(breakerPolicy(resilience.breaker()), ModelOptions::create);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(workflowFile + ": resilience: " + e.getMessage(), e);
    }
    List<ChatModel> models =
        specs.stream().map(spec -> resilient(spec, resilience, retry, breakers)).toList();
    if (models.size() == 1) {
      return models.getFirst();
    }
    CascadeChatModel.Builder cascade =
        CascadeChatModel.builder().prices(workflow.budgets().prices());
    models.forEach(cascade::model);
    return cascade.build();
  }

  /** The breaker a model's calls count on: its provider, and its endpoint when it names one. */
  static String breakerName(ModelSpec spec) {
    return spec.provider() + spec.baseUrl().map(url -> "@" + url).orElse("");
  }

  /** The model specs to call, cheapest first: {@code --model} replaces a workflow's cascade. */
  private List<ModelSpec> specs(WorkflowDefinition workflow, Path workflowFile) {
    if (model == null && workflow.isCascade() && (modelUrl != null || apiKeyEnv != null)) {
      throw new ConfigurationException(
          workflowFile
              + ": --model-url and --api-key-env apply to one model, but the workflow lists a"
              + " cascade of "
              + workflow.models().size()
              + " ("
              + workflow.models().stream().map(ModelSpec::id).collect(Collectors.joining(", "))
              + "); choose one with --model");
    }
    if (model == null && modelUrl == null && apiKeyEnv == null) {
      return workflow.models();
    }
    ModelSpec chosen = model == null ? workflow.model() : override(workflow.models(), model);
    if (modelUrl != null) {
      // Another endpoint: the workflow's key variable belonged to its own endpoint.
      chosen =
          new ModelSpec(
              chosen.provider(),
              chosen.name(),
              Optional.of(modelUrl),
              Optional.empty(),
              chosen.timeout(),
              chosen.temperature(),
              chosen.maxOutputTokens());
    }
    if (apiKeyEnv != null) {
      chosen = chosen.withApiKeyEnv(apiKeyEnv);
    }
    return List.of(chosen);
  }

  private static ChatModel resilient(
      ModelSpec spec, ResilienceSettings resilience, RetryPolicy retry, ProviderBreakers breakers) {
    ResilientChatModel.Builder builder =
        ResilientChatModel.builder(ChatModels.create(spec), breakers)
            .provider(breakerName(spec))
            .retry(retry);
    resilience.attemptTimeout().ifPresent(builder::attemptTimeout);
    resilience.callDeadline().ifPresent(builder::callDeadline);
    return builder.build();
  }

  private static RetryPolicy retryPolicy(ResilienceSettings settings) {
    RetryPolicy defaults = RetryPolicy.DEFAULT;
    return new RetryPolicy(
        settings.maxAttempts().orElse(defaults.maxAttempts()),
        settings.initialBackoff().orElse(defaults.initialBackoff()),
        settings.multiplier().orElse(defaults.multiplier()),
        settings.jitter().orElse(defaults.jitter()),
        settings.maxBackoff().orElse(defaults.maxBackoff()));
  }

  private static BreakerPolicy breakerPolicy(ResilienceSettings.Breaker settings) {
    BreakerPolicy defaults = BreakerPolicy.DEFAULT;
    return new BreakerPolicy(
        settings.failureRatePercent().orElse(defaults.failureRatePercent()),
        settings.slidingWindowCalls().orElse(defaults.slidingWindowCalls()),
        settings.minimumCalls().orElse(defaults.minimumCalls()),
        settings.openFor().orElse(defaults.openFor()),
        settings.halfOpenCalls().orElse(defaults.halfOpenCalls()));
  }

  private static ProviderBreakers create(BreakerPolicy policy) {
    return ProviderBreakers.create(policy, Clock.systemUTC());
  }

  /**
   * {@code --model} replaces the workflow's model or cascade. The settings of the workflow's model
   * with that id, else of its first model of that provider, stay; a provider the workflow does not
   * use gets the defaults.
   */
  private static ModelSpec override(List<ModelSpec> fromWorkflow, String option) {
    ModelSpec parsed = ModelSpec.parse(option);
    Optional<ModelSpec> same =
        fromWorkflow.stream()
            .filter(spec -> spec.id().equals(parsed.id()))
            .findFirst()
            .or(
                () ->
                    fromWorkflow.stream()
                        .filter(spec -> spec.provider().equals(parsed.provider()))
                        .findFirst());
    if (same.isEmpty()) {
      return parsed.withTimeout(fromWorkflow.getFirst().timeout());
    }
    ModelSpec base = same.get();
    return new ModelSpec(
        parsed.provider(),
        parsed.name(),
        base.baseUrl(),
        base.apiKeyEnv(),
        base.timeout(),
        base.temperature(),
        base.maxOutputTokens());
  }
}
