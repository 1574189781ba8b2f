package dev.bridle.models;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Creates a {@link ChatModel} for a {@link ModelSpec}: the entry point of this module.
 *
 * <table>
 *   <caption>Providers</caption>
 *   <tr><th>provider</th><th>API key variable (default)</th><th>base URL (default)</th></tr>
 *   <tr><td>{@code openai}</td><td>{@code OPENAI_API_KEY}; optional with a base URL</td>
 *       <td>OpenAI; any OpenAI-compatible server</td></tr>
 *   <tr><td>{@code anthropic}</td><td>{@code ANTHROPIC_API_KEY}</td><td>Anthropic</td></tr>
 *   <tr><td>{@code ollama}</td><td>none</td><td>{@code http://localhost:11434}</td></tr>
 *   <tr><td>{@code gemini}</td><td>{@code GEMINI_API_KEY}</td><td>Google AI</td></tr>
 * </table>
 *
 * <p>{@code api-key-env} is ignored for {@code ollama}. Every model speaks through LangChain4j on
 * the JDK HTTP client, with the spec's timeout, temperature and output token cap, and with
 * LangChain4j's retries off ({@code maxRetries(0)}): retrying is the job of Bridle's resilience
 * layer. Creating a model does no network call.
 */
public final class ChatModels {

  private ChatModels() {}

  /** A model for {@code spec}, reading the API key from the process environment. */
  public static ChatModel create(ModelSpec spec) {
    return create(spec, System.getenv());
  }

  /**
   * A model for {@code spec}, reading the API key from {@code environment}.
   *
   * @throws ConfigurationException for an unknown provider, for {@code scripted} (resolved by
   *     bridle-core), or when the API key variable is not set
   */
  public static ChatModel create(ModelSpec spec, Map<String, String> environment) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(environment, "environment");
    Provider provider = Provider.named(spec.provider());
    Optional<String> apiKey = apiKey(provider, spec, environment);
    ModelFailures failures = new ModelFailures(spec.id(), spec.timeout(), apiKey);
    dev.langchain4j.model.chat.ChatModel delegate =
        switch (provider) {
          case OPENAI -> openAi(spec, apiKey);
          case ANTHROPIC -> anthropic(spec, apiKey.orElseThrow());
          case OLLAMA -> ollama(spec);
          case GEMINI -> gemini(spec, apiKey.orElseThrow());
        };
    return new LangChain4jChatModel(delegate, spec, failures);
  }

  private static Optional<String> apiKey(
      Provider provider, ModelSpec spec, Map<String, String> environment) {
    if (provider.defaultApiKeyEnv().isEmpty()) {
      return Optional.empty();
    }
    String variable = spec.apiKeyEnv().orElse(provider.defaultApiKeyEnv().get());
    Optional<String> key =
        Optional.ofNullable(environment.get(variable)).filter(value -> !value.isBlank());
    if (key.isPresent()) {
      return key;
    }
    if (provider == Provider.OPENAI && spec.baseUrl().isPresent() && spec.apiKeyEnv().isEmpty()) {
      return Optional.of(Provider.PLACEHOLDER_API_KEY);
    }
    throw new ConfigurationException(
        "model "
            + spec.id()
            + " needs an API key in the environment variable "
            + variable
            + ", which is not set"
            + (spec.apiKeyEnv().isPresent() ? " (named by api-key-env)" : ""));
  }

  private static dev.langchain4j.model.chat.ChatModel openAi(
      ModelSpec spec, Optional<String> apiKey) {
    OpenAiChatModel.OpenAiChatModelBuilder builder =
        OpenAiChatModel.builder()
            .httpClientBuilder(HeaderKeepingHttpClient.builder(spec.timeout()))
            .modelName(spec.name())
            .apiKey(apiKey.orElse(Provider.PLACEHOLDER_API_KEY))
            .timeout(spec.timeout())
            .maxRetries(0);
    spec.baseUrl().ifPresent(builder::baseUrl);
    spec.temperature().ifPresent(builder::temperature);
    // OpenAI's own API wants max_completion_tokens (newer models refuse max_tokens); compatible
    // servers (vLLM, llama.cpp, gateways) know max_tokens best.
    spec.maxOutputTokens()
        .ifPresent(
            tokens -> {
              if (spec.baseUrl().isPresent()) {
                builder.maxTokens(tokens);
              } else {
                builder.maxCompletionTokens(tokens);
              }
            });
    return builder.build();
  }

  private static dev.langchain4j.model.chat.ChatModel anthropic(ModelSpec spec, String apiKey) {
    AnthropicChatModel.AnthropicChatModelBuilder builder =
        AnthropicChatModel.builder()
            .httpClientBuilder(HeaderKeepingHttpClient.builder(spec.timeout()))
            .modelName(spec.name())
            .apiKey(apiKey)
            .timeout(spec.timeout())
            .maxRetries(0);
    spec.baseUrl().ifPresent(builder::baseUrl);
    spec.temperature().ifPresent(builder::temperature);
    spec.maxOutputTokens().ifPresent(builder::maxTokens);
    return builder.build();
  }

  private static dev.langchain4j.model.chat.ChatModel ollama(ModelSpec spec) {
    OllamaChatModel.OllamaChatModelBuilder builder =
        OllamaChatModel.builder()
            .httpClientBuilder(HeaderKeepingHttpClient.builder(spec.timeout()))
            .baseUrl(spec.baseUrl().orElse(Provider.OLLAMA_DEFAULT_BASE_URL))
            .modelName(spec.name())
            .timeout(spec.timeout())
            .maxRetries(0);
    spec.temperature().ifPresent(builder::temperature);
    spec.maxOutputTokens().ifPresent(builder::numPredict);
    return builder.build();
  }

  private static dev.langchain4j.model.chat.ChatModel gemini(ModelSpec spec, String apiKey) {
    GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder builder =
        GoogleAiGeminiChatModel.builder()
            .httpClientBuilder(HeaderKeepingHttpClient.builder(spec.timeout()))
            .modelName(spec.name())
            .apiKey(apiKey)
            .timeout(spec.timeout())
            .maxRetries(0);
    spec.baseUrl().ifPresent(builder::baseUrl);
    spec.temperature().ifPresent(builder::temperature);
    spec.maxOutputTokens().ifPresent(builder::maxOutputTokens);
    return builder.build();
  }

  /** The providers this module adapts. */
  enum Provider {
    OPENAI("openai", Optional.of("OPENAI_API_KEY")),
    ANTHROPIC("anthropic", Optional.of("ANTHROPIC_API_KEY")),
    OLLAMA("ollama", Optional.empty()),
    GEMINI("gemini", Optional.of("GEMINI_API_KEY"));

    /** Sent to OpenAI-compatible servers that need no key; they ignore it. */
    static final String PLACEHOLDER_API_KEY = "not-needed";

    static final String OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";

    private final String configName;
    private final Optional<String> defaultApiKeyEnv;

    Provider(String configName, Optional<String> defaultApiKeyEnv) {
      this.configName = configName;
      this.defaultApiKeyEnv = defaultApiKeyEnv;
    }

    Optional<String> defaultApiKeyEnv() {
      return defaultApiKeyEnv;
    }

    static Provider named(String name) {
      if (name.equals("scripted")) {
        throw new ConfigurationException(
            "model provider 'scripted' plays the workflow's script and is resolved by bridle-core,"
                + " not by ChatModels; known providers here: "
                + known());
      }
      return Arrays.stream(values())
          .filter(provider -> provider.configName.equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new ConfigurationException(
                      "unknown model provider '" + name + "'; known providers: " + known()));
    }

    private static String known() {
      return Arrays.stream(values())
          .map(provider -> provider.configName)
          .collect(Collectors.joining(", "));
    }
  }
}
