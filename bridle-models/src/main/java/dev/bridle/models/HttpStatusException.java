package dev.bridle.models;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/**
 * A non-2xx answer, like LangChain4j's {@link HttpException} (so LangChain4j maps it the usual
 * way), plus the delay the provider asked for in a {@code Retry-After} header.
 */
final class HttpStatusException extends HttpException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  HttpStatusException(int statusCode, String body, Optional<Duration> retryAfter) {
    super(statusCode, body);
    this.retryAfter = retryAfter.orElse(null);
  }

  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
