package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.server.auth.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint, called with no token and with a token of every role: 401 without a token, 403
 * below the endpoint's role, its own status from there up. One table says what each endpoint needs;
 * the test checks the table covers every endpoint the server registers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

  /**
   * One endpoint as the matrix calls it.
   *
   * @param route the method and path pattern as registered
   * @param path a concrete path
   * @param body the JSON body, or null
   * @param access who may call it
   * @param allowed the status a caller who may call it gets
   */
  record Row(String route, String path, String body, Access access, int allowed) {
    String method() {
      return route.substring(0, route.indexOf(' '));
    }
  }

  private TestServer server;
  private RunId ended;

  @BeforeAll
  void start(@TempDir Path dir) {
    server = new TestServer(dir);
    ended = server.start("notes", "write this down");
    server.awaitStatus(ended, RunStatus.COMPLETED);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private List<Row> table() {
    String p = TestServer.PREFIX;
    String run = ended.value();
    return List.of(
        new Row("GET /healthz", "/healthz", null, Access.PUBLIC, 200),
        new Row("GET /", "/", null, Access.PUBLIC, 200),
        new Row("GET /dashboard/{file}", "/dashboard/app.js", null, Access.PUBLIC, 200),
        new Row(
            "POST " + p + "/login",
            p + "/login",
            Json.object("token", server.secret(Role.VIEWER)).toString(),
            Access.PUBLIC,
            200),
        new Row("GET " + p + "/session", p + "/session", null, Access.VIEWER, 200),
        new Row("POST " + p + "/logout", p + "/logout", null, Access.VIEWER, 204),
        new Row(
            "POST " + p + "/runs",
            p + "/runs",
            Json.object("workflow", "notes", "task", "matrix").toString(),
            Access.OPERATOR,
            202),
        new Row("GET " + p + "/runs", p + "/runs", null, Access.VIEWER, 200),
        new Row("GET " + p + "/runs/{id}", p + "/runs/" + run, null, Access.VIEWER, 200),
        new Row(
            "GET " + p + "/runs/{id}/events",
            p + "/runs/" + run + "/events",
            null,
            Access.VIEWER,
            200),
        new Row(
            "GET " + p + "/runs/{id}/stream",
            p + "/runs/" + run + "/stream",
            null,
            Access.VIEWER,
            200),
        new Row(
            "POST " + p + "/runs/{id}/cancel",
            p + "/runs/run-none/cancel",
            null,
            Access.OPERATOR,
            404),
        new Row(
            "POST " + p + "/runs/{id}/resume",
            p + "/runs/run-none/resume",
            null,
            Access.OPERATOR,
            404),
        new Row(
            "POST " + p + "/runs/{id}/revert",
            p + "/runs/run-none/revert",
            null,
            Access.OPERATOR,
            404),
        new Row(
            "POST " + p + "/revert",
            p + "/revert",
            Json.object("workflow", "notes", "since", "2100-01-01T00:00:00Z").toString(),
            Access.OPERATOR,
            200),
        new Row("GET " + p + "/approvals", p + "/approvals", null, Access.VIEWER, 200),
        new Row(
            "GET " + p + "/approvals/{runId}/{callId}",
            p + "/approvals/run-none/call_1",
            null,
            Access.VIEWER,
            404),
        new Row(
            "POST " + p + "/approvals/{runId}/{callId}/decision",
            p + "/approvals/run-none/call_1/decision",
            Json.object("decision", "approve").toString(),
            Access.APPROVER,
            404),
        new Row("GET " + p + "/kill-switches", p + "/kill-switches", null, Access.VIEWER, 200),
        new Row(
            "POST " + p + "/kill",
            p + "/kill",
            Json.object("scope", "workflow", "target", "unused", "reason", "matrix").toString(),
            Access.OPERATOR,
            200),
        new Row(
            "POST " + p + "/revive",
            p + "/revive",
            Json.object("scope", "workflow", "target", "unused").toString(),
            Access.OPERATOR,
            200),
        new Row("GET " + p + "/audit", p + "/audit", null, Access.VIEWER, 200),
        new Row("GET /metrics", "/metrics", null, Access.VIEWER, 200),
        new Row("GET " + p + "/spend", p + "/spend", null, Access.VIEWER, 200),
        new Row("GET " + p + "/spend/runs", p + "/spend/runs?ids=" + run, null, Access.VIEWER, 200),
        new Row("GET " + p + "/workflows", p + "/workflows", null, Access.VIEWER, 200),
        new Row("GET " + p + "/workflows/{name}", p + "/workflows/notes", null, Access.VIEWER, 200),
        new Row(
            "POST " + p + "/runs/{id}/shadow-decision",
            p + "/runs/run-none/shadow-decision",
            Json.object("calls", "none").toString(),
            Access.APPROVER,
            404),
        new Row(
            "POST " + p + "/runs/{id}/feedback",
            p + "/runs/run-none/feedback",
            "{\"rating\": 4}",
            Access.VIEWER,
            404),
        new Row(
            "GET " + p + "/runs/{id}/feedback",
            p + "/runs/run-none/feedback",
            null,
            Access.VIEWER,
            404),
        new Row(
            "GET " + p + "/workflows/{name}/readiness",
            p + "/workflows/notes/readiness",
            null,
            Access.VIEWER,
            200),
        new Row(
            "GET " + p + "/workflows/{name}/agreement",
            p + "/workflows/notes/agreement",
            null,
            Access.VIEWER,
            200),
        new Row(
            "GET " + p + "/workflows/{name}/compare",
            p + "/workflows/notes/compare?versions=1,2",
            null,
            Access.VIEWER,
            200),
        new Row(
            "GET " + p + "/workflows/{name}/mode-changes",
            p + "/workflows/notes/mode-changes",
            null,
            Access.VIEWER,
            200),
        new Row(
            "POST " + p + "/workflows/{name}/mode",
            p + "/workflows/matrix-unused/mode",
            // refused the same way for every caller: no evidence supports AUTONOMOUS
            Json.object("mode", "autonomous", "reason", "matrix").toString(),
            Access.OPERATOR,
            409),
        new Row(
            "POST " + p + "/tokens",
            p + "/tokens",
            Json.object("principal", "made-by-matrix", "role", "viewer").toString(),
            Access.ADMIN,
            201),
        new Row("GET " + p + "/tokens", p + "/tokens", null, Access.ADMIN, 200),
        new Row(
            "DELETE " + p + "/tokens/{id}",
            p + "/tokens/tok_0000000000000000",
            null,
            Access.ADMIN,
            404));
  }

  @Test
  void theTableCoversEveryRegisteredEndpoint() {
    Set<String> registered =
        server.server.routes().stream()
            .map(r -> r.method().name() + " " + r.path())
            .collect(Collectors.toSet());
    Set<String> tabled = table().stream().map(Row::route).collect(Collectors.toSet());

    assertThat(tabled).isEqualTo(registered);
    for (Row row : table()) {
      Access registeredAccess =
          server.server.routes().stream()
              .filter(r -> (r.method().name() + " " + r.path()).equals(row.route()))
              .findFirst()
              .orElseThrow()
              .access();
      assertThat(registeredAccess).as(row.route()).isEqualTo(row.access());
    }
  }

  @Test
  void everyEndpointWithEveryRoleAndWithoutAToken() {
    List<Role> callers = new ArrayList<>(Arrays.asList(Role.values()));
    callers.add(0, null);
    List<String> mismatches = new ArrayList<>();
    int calls = 0;
    for (Row row : table()) {
      for (Role caller : callers) {
        int expected = expected(row, caller);
        HttpResponse<String> response = server.call(row.method(), row.path(), caller, row.body());
        calls++;
        if (response.statusCode() != expected) {
          mismatches.add(
              row.route()
                  + " as "
                  + (caller == null ? "nobody" : caller.label())
                  + ": expected "
                  + expected
                  + ", got "
                  + response.statusCode()
                  + " "
                  + response.body());
        }
        if (response.statusCode() == 401) {
          assertThat(response.headers().firstValue("WWW-Authenticate"))
              .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
          assertThat(Json.parse(response.body()).get("error").asText())
              .isIn("unauthorized", "forbidden");
        }
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(calls).isEqualTo(table().size() * 5);
  }

  @Test
  void aRevokedOrMalformedTokenIsRefused() {
    String secret = server.tokens.issue("short-lived", Role.ADMIN).secret();
    String id =
        server.tokens.list().stream()
            .filter(t -> t.principal().equals("short-lived"))
            .findFirst()
            .orElseThrow()
            .id();
    var withToken =
        (java.util.function.Function<String, Integer>)
            token ->
                server
                    .send(
                        java.net.http.HttpRequest.newBuilder(
                                server.uri(TestServer.PREFIX + "/runs"))
                            .header("Authorization", token)
                            .build())
                    .statusCode();

    assertThat(withToken.apply("Bearer " + secret)).isEqualTo(200);
    assertThat(
            server
                .call("DELETE", TestServer.PREFIX + "/tokens/" + id, Role.ADMIN, null)
                .statusCode())
        .isEqualTo(204);
    assertThat(withToken.apply("Bearer " + secret)).isEqualTo(401);
    assertThat(withToken.apply("Bearer brl_not-a-token")).isEqualTo(401);
    assertThat(withToken.apply("Basic " + secret)).isEqualTo(401);
  }

  private static int expected(Row row, Role caller) {
    if (row.access() == Access.PUBLIC) {
      return row.allowed();
    }
    if (caller == null) {
      return 401;
    }
    return caller.includes(row.access().role().orElseThrow()) ? row.allowed() : 403;
  }
}
