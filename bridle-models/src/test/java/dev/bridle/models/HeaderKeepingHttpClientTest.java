package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderKeepingHttpClientTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static Map<String, List<String>> headers(String name, String value) {
    return Map.of(name, List.of(value));
  }

  @Test
  void readsRetryAfterInSecondsMillisecondsOrAsADate() {
    assertThat(HeaderKeepingHttpClient.retryAfter(headers("retry-after", "3"), CLOCK))
        .contains(Duration.ofSeconds(3));
    assertThat(HeaderKeepingHttpClient.retryAfter(headers("Retry-After", "1.5"), CLOCK))
        .contains(Duration.ofMillis(1500));
    assertThat(HeaderKeepingHttpClient.retryAfter(headers("retry-after-ms", "250"), CLOCK))
        .contains(Duration.ofMillis(250));
    assertThat(
            HeaderKeepingHttpClient.retryAfter(
                headers("retry-after", "Thu, 01 Jan 2026 00:00:42 GMT"), CLOCK))
        .contains(Duration.ofSeconds(42));
  }

  @Test
  void ignoresMissingOrUnreadableValues() {
    assertThat(HeaderKeepingHttpClient.retryAfter(Map.of(), CLOCK)).isEmpty();
    assertThat(HeaderKeepingHttpClient.retryAfter(headers("retry-after", "soon"), CLOCK)).isEmpty();
    assertThat(HeaderKeepingHttpClient.retryAfter(headers("retry-after", "-1"), CLOCK)).isEmpty();
  }
}
