package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelException.Kind;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.RateLimitException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Classification of the exceptions LangChain4j and the HTTP client really throw. */
class ModelFailuresTest {

  private static final String KEY = "sk-live-0123456789";

  private final ModelFailures failures =
      new ModelFailures("openai:gpt-test", Duration.ofSeconds(30), Optional.of(KEY));

  private static String openAiError(String message) {
    return "{\"error\": {\"message\": \"" + message + "\", \"type\": \"x\", \"code\": null}}";
  }

  @Test
  void classifiesHttpStatuses() {
    assertThat(failures.classify(new HttpException(401, openAiError("bad key"))).kind())
        .isEqualTo(Kind.AUTHENTICATION);
    assertThat(failures.classify(new HttpException(403, openAiError("no access"))).kind())
        .isEqualTo(Kind.AUTHENTICATION);
    assertThat(failures.classify(new HttpException(400, openAiError("bad field"))).kind())
        .isEqualTo(Kind.INVALID_REQUEST);
    assertThat(failures.classify(new HttpException(404, openAiError("no model"))).kind())
        .isEqualTo(Kind.INVALID_REQUEST);
    assertThat(failures.classify(new HttpException(408, "")).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failures.classify(new HttpException(503, "overloaded")).kind())
        .isEqualTo(Kind.PROVIDER_ERROR);
  }

  @Test
  void findsTheStatusBehindLangChain4jsOwnExceptions() {
    ModelException failure =
        failures.classify(new RateLimitException(new HttpException(429, openAiError("slow down"))));

    assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(failure.retryAfter()).isEmpty();
    assertThat(failure.getMessage())
        .isEqualTo("openai:gpt-test was rate limited by the provider (HTTP 429): slow down");
  }

  @Test
  void keepsTheRetryAfterOfTheHeaderKeepingClient() {
    ModelException failure =
        failures.classify(
            new RateLimitException(
                new HttpStatusException(429, "{}", Optional.of(Duration.ofMillis(1500)))));

    assertThat(failure.retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  void neverShowsTheApiKeyAndTruncatesLongBodies() {
    ModelException auth =
        failures.classify(
            new HttpException(401, openAiError("Incorrect API key provided: " + KEY + ".")));
    ModelException huge = failures.classify(new HttpException(400, "x".repeat(5_000)));

    assertThat(auth.getMessage())
        .isEqualTo(
            "openai:gpt-test refused the credentials (HTTP 401): Incorrect API key provided:"
                + " [redacted].; check the API key variable")
        .doesNotContain(KEY);
    assertThat(huge.getMessage()).hasSizeLessThan(400).endsWith("... (5000 characters)");
  }

  @Test
  void connectionFailuresAreProviderErrors() {
    ModelException failure =
        failures.classify(
            new LangChain4jException(
                new UncheckedIOException(new ConnectException("Connection refused"))));

    assertThat(failure.kind()).isEqualTo(Kind.PROVIDER_ERROR);
    assertThat(failure.retriable()).isTrue();
    assertThat(failure.getMessage())
        .isEqualTo(
            "openai:gpt-test could not be reached or dropped the connection:"
                + " ConnectException: Connection refused");
  }

  @Test
  void timeoutsAreTimeouts() {
    ModelException failure =
        failures.classify(
            new dev.langchain4j.exception.TimeoutException(
                new java.net.http.HttpTimeoutException("request timed out")));

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure.getMessage()).isEqualTo("openai:gpt-test gave no answer within PT30S");
  }

  @Test
  void requestBuildingAndInterpretingFailuresAreNotRetriable() {
    assertThat(failures.classify(new IllegalArgumentException("text cannot be blank")).kind())
        .isEqualTo(Kind.INVALID_REQUEST);
    assertThat(failures.classify(new NullPointerException("choices")).kind())
        .isEqualTo(Kind.MALFORMED_RESPONSE);
  }
}
