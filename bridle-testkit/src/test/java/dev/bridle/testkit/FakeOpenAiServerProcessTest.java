package dev.bridle.testkit;

import static dev.bridle.testkit.ChatCompletionsClient.json;
import static dev.bridle.testkit.ChatCompletionsClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FakeOpenAiServerProcessTest {

  @Test
  @Timeout(30)
  void mainPrintsTheListeningPortAndServesNoopSteps() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                FakeOpenAiServer.class.getName(),
                "--port",
                "0",
                "--latency-ms",
                "10",
                "--steps",
                "1")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      JsonNode listening = ChatCompletionsClient.JSON.readTree(stdout.readLine());
      assertThat(listening.path("event").asText()).isEqualTo("listening");
      int port = listening.path("port").asInt();
      assertThat(port).isPositive();
      ChatCompletionsClient client = new ChatCompletionsClient("http://127.0.0.1:" + port + "/v1");

      JsonNode first = json(client.post(request("m", 0, "noop")));
      JsonNode second = json(client.post(request("m", 1, "noop")));
      JsonNode overridden = json(client.post(request("m", 1, "noop"), "x-fake-steps", "2"));

      assertThat(first.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
      assertThat(second.at("/choices/0/message/content").asText()).isEqualTo("done");
      assertThat(overridden.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    } finally {
      process.destroy();
      if (!process.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void argumentsAreValidatedWithClearMessages() {
    assertThat(ServerArguments.parse(new String[] {"--latency-ms", "200", "--steps", "5"}))
        .isEqualTo(new ServerArguments("127.0.0.1", 0, Duration.ofMillis(200), 5));
    assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--steps", "-1"}))
        .hasMessage("--steps must be between 0 and 2147483647, but was -1");
    assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--port"}))
        .hasMessage("option --port needs a value");
    assertThatThrownBy(() -> ServerArguments.parse(new String[] {"--colour", "red"}))
        .hasMessage("unknown option --colour");
  }
}
