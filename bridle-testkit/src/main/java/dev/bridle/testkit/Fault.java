package dev.bridle.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the {@link FakeOpenAiServer} serves instead of a normal answer, to exercise a client's
 * error handling. Queue one with {@link FakeOpenAiServer#enqueueFault(Fault)} or serve it on every
 * request with {@link FakeOpenAiServer#faultEveryRequest(Fault)}.
 */
public sealed interface Fault {

  /** HTTP 429 with a {@code Retry-After} header in whole seconds and an OpenAI error body. */
  record RateLimited(Duration retryAfter) implements Fault {
    public RateLimited {
      requireNotNegative(retryAfter, "retry-after");
    }

    /** The {@code Retry-After} header value: the delay rounded up to whole seconds. */
    public long retryAfterSeconds() {
      long seconds = retryAfter.toSeconds();
      return retryAfter.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }
  }

  /** HTTP 500 with an OpenAI error body. */
  record ServerError() implements Fault {}

  /**
   * The answer is held back for {@code delay}, then served normally; for client timeouts. Closing
   * the server releases a held request at once.
   */
  record Hang(Duration delay) implements Fault {
    public Hang {
      requireNotNegative(delay, "hang delay");
    }
  }

  /** HTTP 200 whose body is not valid JSON. */
  record MalformedBody() implements Fault {}

  /**
   * HTTP 200 with a tool call whose {@code arguments} string is not valid JSON. The call goes to
   * the first offered tool, or to {@code search} when the request offers none.
   */
  record MalformedToolArguments() implements Fault {}

  /** HTTP 200 with a tool call to {@code toolName}, which the request need not offer. */
  record UnknownTool(String toolName) implements Fault {
    public UnknownTool {
      Objects.requireNonNull(toolName, "toolName");
      if (toolName.isBlank()) {
        throw new IllegalArgumentException("tool name of an unknown-tool fault must not be blank");
      }
    }
  }

  static Fault rateLimited(Duration retryAfter) {
    return new RateLimited(retryAfter);
  }

  static Fault serverError() {
    return new ServerError();
  }

  static Fault hang(Duration delay) {
    return new Hang(delay);
  }

  static Fault malformedBody() {
    return new MalformedBody();
  }

  static Fault malformedToolArguments() {
    return new MalformedToolArguments();
  }

  static Fault unknownTool(String toolName) {
    return new UnknownTool(toolName);
  }

  private static void requireNotNegative(Duration duration, String field) {
    Objects.requireNonNull(duration, field);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative, but was " + duration);
    }
  }
}
