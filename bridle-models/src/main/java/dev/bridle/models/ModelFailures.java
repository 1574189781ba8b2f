package dev.bridle.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelException.Kind;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns whatever LangChain4j or the HTTP client threw into a {@link ModelException} whose {@link
 * Kind} says what a caller can do. Messages name the model, carry at most a short excerpt of the
 * provider's error text and never the API key.
 */
final class ModelFailures {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXCERPT_LIMIT = 300;
  private static final String REDACTED = "[redacted]";

  private final String modelId;
  private final Duration timeout;
  private final Optional<String> secret;

  ModelFailures(String modelId, Duration timeout, Optional<String> secret) {
    this.modelId = modelId;
    this.timeout = timeout;
    this.secret = secret.filter(key -> key.length() >= 4);
  }

  ModelException classify(RuntimeException failure) {
    List<Throwable> chain = causes(failure);
    Optional<HttpException> http = first(chain, HttpException.class);
    if (http.isPresent()) {
      return fromStatus(http.get(), failure);
    }
    if (chain.stream().anyMatch(ModelFailures::isTimeout)) {
      return new ModelException(
          Kind.TIMEOUT, modelId + " gave no answer within " + timeout, failure);
    }
    Optional<JsonProcessingException> json = first(chain, JsonProcessingException.class);
    if (json.isPresent()) {
      return new ModelException(
          Kind.MALFORMED_RESPONSE,
          modelId
              + " answered with a body that is not valid JSON: "
              + excerpt(json.get().getOriginalMessage()),
          failure);
    }
    Optional<ModelException> typed = fromLangChain4jType(chain, failure);
    if (typed.isPresent()) {
      return typed.get();
    }
    Optional<IOException> io = first(chain, IOException.class);
    if (io.isPresent()) {
      return new ModelException(
          Kind.PROVIDER_ERROR,
          modelId + " could not be reached or dropped the connection: " + describe(io.get()),
          failure);
    }
    if (first(chain, InterruptedException.class).isPresent()) {
      return new ModelException(
          Kind.PROVIDER_ERROR, modelId + " call was interrupted while waiting", failure);
    }
    if (failure instanceof IllegalArgumentException
        || failure instanceof UnsupportedFeatureException) {
      return new ModelException(
          Kind.INVALID_REQUEST,
          modelId + " request could not be built: " + describe(failure),
          failure);
    }
    return new ModelException(
        Kind.MALFORMED_RESPONSE,
        modelId + " answer could not be interpreted: " + describe(failure),
        failure);
  }

  private ModelException fromStatus(HttpException http, RuntimeException failure) {
    int status = http.statusCode();
    String detail = " (HTTP " + status + "): " + providerMessage(http.getMessage());
    if (status == 429) {
      Optional<Duration> retryAfter =
          http instanceof HttpStatusException withHeaders
              ? withHeaders.retryAfter()
              : Optional.empty();
      String retry = retryAfter.map(delay -> ", retry after " + delay).orElse("");
      return new ModelException(
          Kind.RATE_LIMITED,
          modelId + " was rate limited by the provider" + retry + detail,
          retryAfter.orElse(null),
          failure);
    }
    if (status == 401 || status == 403) {
      return new ModelException(
          Kind.AUTHENTICATION,
          modelId + " refused the credentials" + detail + "; check the API key variable",
          failure);
    }
    if (status == 408) {
      return new ModelException(Kind.TIMEOUT, modelId + " timed out" + detail, failure);
    }
    if (status == 404) {
      return new ModelException(
          Kind.INVALID_REQUEST,
          modelId + " was not found" + detail + "; check the model name and base URL",
          failure);
    }
    if (status >= 400 && status < 500) {
      return new ModelException(
          Kind.INVALID_REQUEST, modelId + " refused the request" + detail, failure);
    }
    return new ModelException(
        Kind.PROVIDER_ERROR, modelId + " failed on the provider's side" + detail, failure);
  }

  private Optional<ModelException> fromLangChain4jType(
      List<Throwable> chain, RuntimeException failure) {
    for (Throwable cause : chain) {
      Optional<Kind> kind =
          switch (cause) {
            case RateLimitException e -> Optional.of(Kind.RATE_LIMITED);
            case AuthenticationException e -> Optional.of(Kind.AUTHENTICATION);
            case ModelNotFoundException e -> Optional.of(Kind.INVALID_REQUEST);
            case InvalidRequestException e -> Optional.of(Kind.INVALID_REQUEST);
            case InternalServerException e -> Optional.of(Kind.PROVIDER_ERROR);
            case UnresolvedModelServerException e -> Optional.of(Kind.PROVIDER_ERROR);
            default -> Optional.empty();
          };
      if (kind.isPresent()) {
        return Optional.of(
            new ModelException(kind.get(), modelId + " failed: " + describe(cause), failure));
      }
    }
    return Optional.empty();
  }

  private static boolean isTimeout(Throwable cause) {
    return cause instanceof dev.langchain4j.exception.TimeoutException
        || cause instanceof HttpTimeoutException
        || cause instanceof SocketTimeoutException
        || cause instanceof java.util.concurrent.TimeoutException;
  }

  /** The {@code error.message} of an OpenAI/Anthropic/Gemini error body, else the body itself. */
  private String providerMessage(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    try {
      JsonNode parsed = JSON.readTree(body);
      JsonNode error = parsed.path("error");
      Optional<String> message =
          firstText(error.path("message"), error, parsed.path("message"), parsed.path("detail"));
      if (message.isPresent()) {
        return excerpt(message.get());
      }
    } catch (JsonProcessingException e) {
      // Not JSON: show the text itself.
    }
    return excerpt(body);
  }

  private static Optional<String> firstText(JsonNode... candidates) {
    for (JsonNode candidate : candidates) {
      if (candidate.isTextual() && !candidate.asText().isBlank()) {
        return Optional.of(candidate.asText());
      }
    }
    return Optional.empty();
  }

  private String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + excerpt(message));
  }

  /** One line, at most {@value #EXCERPT_LIMIT} characters, with the API key blotted out. */
  private String excerpt(String text) {
    String redacted = secret.map(key -> text.replace(key, REDACTED)).orElse(text);
    String oneLine = redacted.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= EXCERPT_LIMIT
        ? oneLine
        : oneLine.substring(0, EXCERPT_LIMIT) + "... (" + oneLine.length() + " characters)";
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = failure;
        cause != null && !chain.contains(cause) && chain.size() < 32;
        cause = cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }

  private static <T> Optional<T> first(List<Throwable> chain, Class<T> type) {
    return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
  }
}
