package dev.bridle.core.model;

import dev.bridle.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which model to use and how to reach it: what a workflow file's {@code model:} section says.
 *
 * @param provider {@code openai}, {@code anthropic}, {@code ollama}, {@code gemini} or {@code
 *     scripted}
 * @param name the provider's model name, e.g. {@code gpt-4o-mini}
 * @param baseUrl optional endpoint; for {@code openai} any OpenAI-compatible server (vLLM,
 *     llama.cpp, Azure, a test fake)
 * @param apiKeyEnv the environment variable holding the API key; the key itself never appears in a
 *     workflow file
 * @param timeout per-call timeout
 * @param temperature optional sampling temperature
 * @param maxOutputTokens optional cap on output tokens per call
 */
public record ModelSpec(
    String provider,
    String name,
    Optional<String> baseUrl,
    Optional<String> apiKeyEnv,
    Duration timeout,
    Optional<Double> temperature,
    Optional<Integer> maxOutputTokens) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public ModelSpec {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(temperature, "temperature");
    Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigurationException("model timeout must be positive, but was " + timeout);
    }
  }

  /** A spec with defaults for everything but the provider and the model name. */
  public static ModelSpec of(String provider, String name) {
    return new ModelSpec(
        provider,
        name,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_TIMEOUT,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Parses {@code provider:name} as given on the command line ({@code openai:gpt-4o-mini}); a bare
   * {@code scripted} means the workflow's script.
   */
  public static ModelSpec parse(String text) {
    String trimmed = text.strip();
    if (trimmed.equals("scripted")) {
      return of("scripted", "scripted");
    }
    int colon = trimmed.indexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new ConfigurationException(
          "model must be 'scripted' or 'provider:name' (e.g. openai:gpt-4o-mini), but was '"
              + text
              + "'");
    }
    return of(trimmed.substring(0, colon), trimmed.substring(colon + 1));
  }

  public ModelSpec withBaseUrl(String url) {
    return new ModelSpec(
        provider, name, Optional.of(url), apiKeyEnv, timeout, temperature, maxOutputTokens);
  }

  public ModelSpec withApiKeyEnv(String env) {
    return new ModelSpec(
        provider, name, baseUrl, Optional.of(env), timeout, temperature, maxOutputTokens);
  }

  public ModelSpec withTimeout(Duration newTimeout) {
    return new ModelSpec(
        provider, name, baseUrl, apiKeyEnv, newTimeout, temperature, maxOutputTokens);
  }

  /** {@code provider:name}, the id recorded in the journal. */
  public String id() {
    return provider + ":" + name;
  }
}
