package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridle demo} as a new user meets it: a real process in an empty directory, with no API key
 * in its environment. It must print a URL and a token that work, with an approval waiting in the
 * inbox that the token can decide; and a second demo in the same directory must work again.
 */
class DemoCommandTest {

  private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A demo process in {@code dir}; its output goes to {@code log}. */
  private Process demo(Path log, String... extra) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                BridleCli.class.getName(),
                "demo",
                "--port",
                "0"));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // a new user without a key: the examples play their scripts
    List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "BRIDLE_DB")
        .forEach(builder.environment()::remove);
    return builder.start();
  }

  /** The dashboard URL and the admin token the demo printed. */
  private record Banner(String url, String token) {}

  private Banner awaitBanner(Path log, Process process) {
    Pattern banner =
        Pattern.compile(
            "Dashboard: +(http://127\\.0\\.0\\.1:\\d+/)\\s+Admin token: +(brl_[A-Za-z0-9_-]{43})");
    await()
        .atMost(Duration.ofSeconds(90))
        .failFast("the demo ended: " + read(log), () -> !process.isAlive())
        .until(() -> banner.matcher(read(log)).find());
    Matcher matcher = banner.matcher(read(log));
    matcher.find();
    return new Banner(matcher.group(1), matcher.group(2));
  }

  private HttpResponse<String> call(Banner banner, String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(banner.url() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + banner.token());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return RunningCommand.send(http, request.build());
  }

  private JsonNode get(Banner banner, String path) throws Exception {
    HttpResponse<String> response = call(banner, "GET", path, null);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  private static void stop(Process process, Path log) throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(read(log)).isTrue();
  }

  @Test
  void aNewUserGetsAWorkingTokenAndAnApprovalToDecide() throws Exception {
    Path firstLog = dir.resolve("first.log");
    Process first = demo(firstLog, "--examples", EXAMPLES.toString());
    Banner banner;
    try {
      banner = awaitBanner(firstLog, first);
      assertThat(read(firstLog))
          .contains("lead-enrichment (scripted, no OPENAI_API_KEY)")
          .contains("support-triage (scripted, no OPENAI_API_KEY)")
          .contains("Submitted 3 sample run(s) as demo-user");

      // the dashboard's login takes the token
      HttpResponse<String> login =
          RunningCommand.send(
              http,
              HttpRequest.newBuilder(URI.create(banner.url() + "api/v1/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"token\": \"" + banner.token() + "\"}"))
                  .build());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(login.body()).path("role").asText()).isEqualTo("admin");

      // the lead's bio waits in the inbox
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(banner, "api/v1/approvals").path("approvals").size() == 1);
      JsonNode item = get(banner, "api/v1/approvals").path("approvals").get(0);
      assertThat(item.path("workflow").asText()).isEqualTo("lead-enrichment");
      assertThat(item.path("toolName").asText()).isEqualTo("update_lead_bio");
      assertThat(item.path("requester").asText()).isEqualTo("demo-user");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> read(firstLog).contains("Sample runs: 1 waiting for approval, 2 completed."));

      HttpResponse<String> approved =
          call(
              banner,
              "POST",
              "api/v1/approvals/" + item.path("id").asText() + "/decision",
              "{\"decision\": \"approve\"}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      String runId = item.path("runId").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  get(banner, "api/v1/runs/" + runId)
                      .path("run")
                      .path("status")
                      .asText()
                      .equals("COMPLETED"));
      JsonNode audit = get(banner, "api/v1/audit?workflow=lead-enrichment").path("entries");
      assertThat(audit.get(0).path("approver").asText()).isEqualTo("demo-admin");
      assertThat(audit.get(0).path("status").asText()).isEqualTo("succeeded");
      assertThat(dir.resolve(".bridle/demo.db")).exists();
    } finally {
      stop(first, firstLog);
    }
    assertThat(read(firstLog)).contains("bridle demo: stopped");

    // again, in the same directory, finding the examples of the checkout it was built in
    Path secondLog = dir.resolve("second.log");
    Process second = demo(secondLog);
    try {
      Banner again = awaitBanner(secondLog, second);
      assertThat(again.token()).isNotEqualTo(banner.token());
      assertThat(read(secondLog)).contains("as this one revoked 1 of an earlier demo");
      assertThat(
              call(new Banner(again.url(), banner.token()), "GET", "api/v1/runs", null)
                  .statusCode())
          .isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(again, "api/v1/approvals").path("approvals").size() == 1);
      assertThat(get(again, "api/v1/runs?limit=100").path("runs")).hasSize(6);
    } finally {
      stop(second, secondLog);
    }
  }

  @Test
  void noExamplesIsAUsageErrorThatSaysWhereItLooked() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    CliHarness.Execution demo =
        CliHarness.execute("demo", "--port", "0", "--examples", empty.toString());

    assertThat(demo.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(demo.err()).contains("no example workflow under " + empty);
  }

  @Test
  void anExampleThatCannotBeLoadedIsSkippedWithItsReason() throws Exception {
    Path examples = dir.resolve("examples");
    Path broken = Files.createDirectories(examples.resolve("broken"));
    Files.writeString(broken.resolve("workflow.yaml"), "name: broken\ntools: [nowhere]\n");

    CliHarness.Execution demo =
        CliHarness.execute("demo", "--port", "0", "--examples", examples.toString());

    assertThat(demo.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(demo.err()).contains("bridle demo: skipping " + broken.resolve("workflow.yaml"));
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
