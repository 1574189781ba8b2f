package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.models.ChatModels;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --model-url}, {@code --api-key-env}: which model serves a run. */
final class ModelOptions {

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "scripted | openai:NAME | anthropic:NAME | ollama:NAME | gemini:NAME"
              + " (default: the workflow's model).")
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
    ModelSpec chosen = model == null ? workflow.model() : override(workflow.model(), model);
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
    if (chosen.provider().equals("scripted")) {
      if (workflow.script().isEmpty()) {
        throw new ConfigurationException(
            workflowFile + ": --model scripted needs a 'script:' section in the workflow file");
      }
      return ScriptedChatModel.of(workflow.name(), workflow.script());
    }
    return ChatModels.create(chosen);
  }

  /** The workflow's model settings stay when the provider stays; otherwise the defaults apply. */
  private static ModelSpec override(ModelSpec fromWorkflow, String option) {
    ModelSpec parsed = ModelSpec.parse(option);
    if (!parsed.provider().equals(fromWorkflow.provider())) {
      return parsed.withTimeout(fromWorkflow.timeout());
    }
    return new ModelSpec(
        parsed.provider(),
        parsed.name(),
        fromWorkflow.baseUrl(),
        fromWorkflow.apiKeyEnv(),
        fromWorkflow.timeout(),
        fromWorkflow.temperature(),
        fromWorkflow.maxOutputTokens());
  }
}
