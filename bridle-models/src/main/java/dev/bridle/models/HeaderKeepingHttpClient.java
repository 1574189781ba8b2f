package dev.bridle.models;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LangChain4j's HTTP client SPI on {@code java.net.http}, like {@link JdkHttpClient}, except that a
 * non-2xx answer keeps its {@code Retry-After} header ({@link HttpStatusException}), which
 * LangChain4j's own exception drops. Streaming, which Bridle does not use, goes to {@link
 * JdkHttpClient}.
 *
 * <p>Models with the same connect timeout share one {@code java.net.http.HttpClient}, hence one
 * selector thread and one connection pool, however many models are created.
 */
final class HeaderKeepingHttpClient implements HttpClient {

  private static final Map<Duration, java.net.http.HttpClient> SHARED_CLIENTS =
      new ConcurrentHashMap<>();

  private final java.net.http.HttpClient http;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Clock clock = Clock.systemUTC();
  private JdkHttpClient streaming;

  /** The last URL parsed: a model posts to the same one on every call. */
  private volatile ParsedUrl lastUrl = new ParsedUrl("", URI.create(""));

  private record ParsedUrl(String text, URI uri) {}

  private HeaderKeepingHttpClient(Builder builder) {
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
    this.http =
        SHARED_CLIENTS.computeIfAbsent(
            connectTimeout,
            timeout -> java.net.http.HttpClient.newBuilder().connectTimeout(timeout).build());
  }

  static Builder builder(Duration timeout) {
    return new Builder(timeout);
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(toJdkRequest(request), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new TimeoutException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the model provider", e);
    }
    String body = new String(response.body(), StandardCharsets.UTF_8);
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new HttpStatusException(status, body, retryAfter(response.headers().map(), clock));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(status)
        .headers(response.headers().map())
        .body(body)
        .build();
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    streamingClient().execute(request, parser, listener);
  }

  private synchronized JdkHttpClient streamingClient() {
    if (streaming == null) {
      streaming =
          JdkHttpClient.builder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
    }
    return streaming;
  }

  private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
    if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
      throw new UnsupportedOperationException(
          "multipart form requests are not used by Bridle's chat models");
    }
    java.net.http.HttpRequest.Builder builder =
        java.net.http.HttpRequest.newBuilder(uri(request.url())).timeout(readTimeout);
    request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    java.net.http.HttpRequest.BodyPublisher body =
        request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(
                request.body(), StandardCharsets.UTF_8);
    return builder.method(request.method().name(), body).build();
  }

  private URI uri(String url) {
    ParsedUrl last = lastUrl;
    if (last.text().equals(url)) {
      return last.uri();
    }
    URI uri = URI.create(url);
    lastUrl = new ParsedUrl(url, uri);
    return uri;
  }

  /**
   * The delay asked for by {@code retry-after-ms} or {@code Retry-After} (seconds or an HTTP date).
   */
  static Optional<Duration> retryAfter(Map<String, List<String>> headers, Clock clock) {
    Optional<Duration> inMillis =
        header(headers, "retry-after-ms")
            .flatMap(HeaderKeepingHttpClient::nonNegativeNumber)
            .map(millis -> Duration.ofMillis(Math.round(millis)));
    if (inMillis.isPresent()) {
      return inMillis;
    }
    return header(headers, "retry-after")
        .flatMap(
            value ->
                nonNegativeNumber(value)
                    .map(seconds -> Duration.ofMillis(Math.round(seconds * 1000)))
                    .or(() -> untilDate(value, clock)));
  }

  private static Optional<String> header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase(name))
        .flatMap(entry -> entry.getValue().stream())
        .map(String::strip)
        .filter(value -> !value.isEmpty())
        .findFirst();
  }

  private static Optional<Double> nonNegativeNumber(String value) {
    try {
      double number = Double.parseDouble(value);
      return number >= 0 && Double.isFinite(number) ? Optional.of(number) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> untilDate(String value, Clock clock) {
    try {
      ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration delay = Duration.between(clock.instant(), date.toInstant());
      return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Configures the client; LangChain4j's model builders set the timeouts they were given. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    private Builder(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      this.readTimeout = timeout;
    }

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      if (timeout != null) {
        this.connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      if (timeout != null) {
        this.readTimeout = timeout;
      }
      return this;
    }

    @Override
    public HeaderKeepingHttpClient build() {
      return new HeaderKeepingHttpClient(this);
    }
  }
}
