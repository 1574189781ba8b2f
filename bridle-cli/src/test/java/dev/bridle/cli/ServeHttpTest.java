package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridle serve --port}: the HTTP API and the worker in one process, with the API tokens that
 * {@code bridle tokens create} put in the same database. Real HTTP on a free port.
 */
class ServeHttpTest {

  @TempDir Path dir;

  /** A workflow whose e-mail (EXTERNAL) waits for a human under the default policy. */
  private Path workflow() throws Exception {
    Path file = dir.resolve("notify.yaml");
    Files.writeString(
        file,
        """
        name: serve-notify
        version: "2"
        goal: Close a record and tell its owner by e-mail.
        model:
          provider: scripted
          name: notify
        tools:
          - cli-governance-test
        effect-cap: EXTERNAL
        script:
          - call: set_status
            args: {record: "{{task}}", status: closed}
          - call: send_email
            args: {to: "{{task}}@example.com", body: "Your record was closed."}
          - say: "Closed the record and told its owner."
        """);
    return file;
  }

  private String db() {
    return "sqlite:" + dir.resolve("node.db");
  }

  private JsonNode createToken(String role, String name) throws Exception {
    CliHarness.Execution created =
        CliHarness.execute(
            "tokens", "create", "--role", role, "--name", name, "--db", db(), "--json");
    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
    return created.json();
  }

  @Test
  void aServedNodeAnswersWithTheTokensTheCommandLineCreatedAndRunsWhatItIsGiven() throws Exception {
    Path workflow = workflow();
    JsonNode approver = createToken("approver", "april");
    JsonNode viewer = createToken("viewer", "vic");
    String record = "rec-" + UUID.randomUUID();

    try (RunningCommand node =
        RunningCommand.start(
            "serve",
            "--db",
            db(),
            "--port",
            "0",
            "--node-id",
            "http-node",
            "--workflow",
            workflow.toString(),
            "--lease",
            "3s")) {
      String url = node.awaitOutput("listening on (http://127\\.0\\.0\\.1:\\d+/)");
      assertThat(node.out())
          .contains("bridle serve: node http-node serving 1 workflow(s) with 16 slots, lease 3s")
          .contains("bridle tokens create --role admin");

      HttpResponse<String> health = node.call(url, "GET", "healthz", null, null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(health.body()).path("status").asText()).isEqualTo("ok");
      assertThat(node.call(url, "GET", "api/v1/approvals", null, null).statusCode()).isEqualTo(401);
      assertThat(node.call(url, "GET", "api/v1/approvals", "brl_not-a-token", null).statusCode())
          .isEqualTo(401);
      String viewerSecret = viewer.path("token").asText();
      HttpResponse<String> session = node.call(url, "GET", "api/v1/session", viewerSecret, null);
      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(session.body()).path("principal").asText()).isEqualTo("vic");

      // a run queued from the command line is run by the node's worker and waits for a human
      CliHarness.Execution submitted =
          CliHarness.execute(
              "submit",
              workflow.toString(),
              "--input",
              record,
              "--user",
              "dana",
              "--db",
              db(),
              "--json");
      String runId = submitted.json().path("runId").asText();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  node.call(url, "GET", "api/v1/approvals", viewerSecret, null)
                      .body()
                      .contains(runId));
      JsonNode item =
          Json.MAPPER
              .readTree(node.call(url, "GET", "api/v1/approvals", viewerSecret, null).body())
              .path("approvals")
              .get(0);
      assertThat(item.path("toolName").asText()).isEqualTo("send_email");
      assertThat(item.path("requester").asText()).isEqualTo("dana");
      String approvalId = item.path("id").asText();

      String decision = "{\"decision\": \"approve\"}";
      String decide = "api/v1/approvals/" + approvalId + "/decision";
      assertThat(node.call(url, "POST", decide, viewerSecret, decision).statusCode())
          .isEqualTo(403);
      HttpResponse<String> approved =
          node.call(url, "POST", decide, approver.path("token").asText(), decision);
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(approved.body()).path("approver").asText())
          .isEqualTo("april");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Json.MAPPER
                      .readTree(
                          node.call(url, "GET", "api/v1/runs/" + runId, viewerSecret, null).body())
                      .path("run")
                      .path("status")
                      .asText()
                      .equals("COMPLETED"));
      assertThat(GovernanceTestTools.sent(record + "@example.com")).isEqualTo(1);

      // a revocation from the command line reaches the running node at once
      assertThat(
              CliHarness.execute("tokens", "revoke", viewer.path("id").asText(), "--db", db())
                  .exitCode())
          .isEqualTo(ExitCode.OK);
      assertThat(node.call(url, "GET", "api/v1/approvals", viewerSecret, null).statusCode())
          .isEqualTo(401);

      int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
      assertThat(node.stop()).isEqualTo(ExitCode.OK);
      assertThat(node.out()).contains("bridle serve: stopped");
      assertThat(refusesConnections(port)).isTrue();
    }
  }

  @Test
  void aNodeWithoutWorkflowsServesTheApiAndSaysItRunsNothing() throws Exception {
    JsonNode admin = createToken("admin", "ada");
    try (RunningCommand node = RunningCommand.start("serve", "--db", db(), "--port", "0")) {
      String url = node.awaitOutput("listening on (http://127\\.0\\.0\\.1:\\d+/)");
      assertThat(node.out()).contains("no --workflow given").containsPattern("node node-\\w+");

      HttpResponse<String> tokens =
          node.call(url, "GET", "api/v1/tokens", admin.path("token").asText(), null);
      assertThat(tokens.statusCode()).isEqualTo(200);
      assertThat(tokens.body()).contains(admin.path("id").asText()).doesNotContain("brl_");
      assertThat(node.stop()).isEqualTo(ExitCode.OK);
    }
  }

  @Test
  void aPortInUseIsAUsageErrorThatSaysWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliHarness.Execution serve =
          CliHarness.execute("serve", "--db", db(), "--port", String.valueOf(taken.getLocalPort()));

      assertThat(serve.exitCode()).isEqualTo(ExitCode.USAGE);
      assertThat(serve.err()).contains("cannot listen there").contains("--port 0 picks a free one");
    }
  }

  @Test
  void aPortOutOfRangeIsRefusedBeforeAnythingOpens() {
    CliHarness.Execution serve = CliHarness.execute("serve", "--db", db(), "--port", "70000");

    assertThat(serve.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(serve.err()).contains("--port must be between 0 and 65535, but was 70000");
    assertThat(dir.resolve("node.db")).doesNotExist();
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
