package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.InMemoryRunQueue;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.server.auth.InMemoryTokenStore;
import dev.bridle.server.auth.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sessions end when their lifetime is over; the builder names what is missing or wrong. */
class SessionLifetimeTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));

  @Test
  void aSessionEndsWhenItsLifetimeIsOver() throws Exception {
    InMemoryTokenStore tokens = new InMemoryTokenStore(clock);
    String secret = tokens.issue("vic", Role.VIEWER).secret();
    HttpClient http = HttpClient.newHttpClient();
    try (BridleServer server =
        BridleServer.builder()
            .queue(new InMemoryRunQueue(new InMemoryRunStore()))
            .killSwitch(KillSwitch.NONE)
            .tokens(tokens)
            .clock(clock)
            .port(0)
            .sessionLifetime(Duration.ofHours(1))
            .secureCookies(true)
            .build()
            .start()) {
      String base = "http://127.0.0.1:" + server.port() + "/api/v1";
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/login"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + secret + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(Json.parse(login.body()).get("expiresAt").asText())
          .isEqualTo("2026-11-22T09:00:00Z");
      String setCookie =
          login.headers().allValues("Set-Cookie").stream()
              .filter(c -> c.startsWith(Authenticator.SESSION_COOKIE))
              .findFirst()
              .orElseThrow();
      assertThat(setCookie).contains("Secure").contains("Max-Age=3600");
      HttpRequest session =
          HttpRequest.newBuilder(URI.create(base + "/session"))
              .header("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
              .build();

      clock.advance(Duration.ofMinutes(59));
      HttpResponse<String> stillOpen = http.send(session, HttpResponse.BodyHandlers.ofString());
      assertThat(stillOpen.statusCode()).isEqualTo(200);
      assertThat(Json.parse(stillOpen.body()).get("principal").asText()).isEqualTo("vic");

      clock.advance(Duration.ofMinutes(2));
      assertThat(http.send(session, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void theBuilderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> BridleServer.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("server queue is required");
    BridleServer.Builder noKillSwitch =
        BridleServer.builder().queue(new InMemoryRunQueue(new InMemoryRunStore()));
    assertThatThrownBy(noKillSwitch::build).hasMessageContaining("kill-switch is required");
    BridleServer.Builder complete =
        BridleServer.builder()
            .queue(new InMemoryRunQueue(new InMemoryRunStore()))
            .killSwitch(KillSwitch.NONE)
            .tokens(new InMemoryTokenStore());
    assertThatThrownBy(() -> complete.port(70_000).build())
        .hasMessage("server port must be between 0 and 65535, but was 70000");
    assertThatThrownBy(() -> complete.port(0).maxRequestBytes(10).build())
        .hasMessageContaining("max-request-bytes must be between 1024 and 16777216, but was 10");
    assertThatThrownBy(() -> complete.maxRequestBytes(4096).workflow("Bad Name", s -> null).build())
        .hasMessageContaining("but was 'Bad Name'");
  }
}
