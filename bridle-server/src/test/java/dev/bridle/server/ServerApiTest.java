package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.server.auth.Role;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API end to end: a real server, a real SQLite store, a worker running the runs. */
class ServerApiTest {

  private static final String P = TestServer.PREFIX;

  private TestServer server;

  @BeforeEach
  void start(@TempDir Path dir) {
    server = new TestServer(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Json.parse(response.body());
  }

  private String approvalOf(RunId runId) {
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    JsonNode run = json(server.get(P + "/runs/" + runId, Role.VIEWER), 200);
    return run.get("outcome").get("waitingOn").get(0).asText();
  }

  @Test
  void anApprovalDecidedThroughTheApiLetsTheWorkerFinishTheRunAndTheAuditNamesTheApprover() {
    RunId runId = server.start("crm", "new bio");
    String approvalId = approvalOf(runId);
    assertThat(approvalId).isEqualTo(runId + "/call_1_1");
    assertThat(server.bios).containsEntry("L1", "original bio");

    JsonNode inbox = json(server.get(P + "/approvals", Role.VIEWER), 200);
    assertThat(inbox.get("approvals")).hasSize(1);
    JsonNode item = inbox.get("approvals").get(0);
    assertThat(item.get("toolName").asText()).isEqualTo("update_bio");
    assertThat(item.get("requester").asText()).isEqualTo("otto");
    assertThat(item.get("preview").asText()).isEqualTo("bio of L1 becomes 'new bio'");
    assertThat(item.get("policyVersion").asText()).isEqualTo("crm-policy-1");
    assertThat(item.get("context").get("task").asText()).isEqualTo("new bio");

    JsonNode decided =
        json(
            server.post(
                P + "/approvals/" + approvalId + "/decision",
                Role.APPROVER,
                Json.object("decision", "approve").toString()),
            200);
    assertThat(decided.get("approver").asText()).isEqualTo("april");
    assertThat(decided.get("decision").asText()).isEqualTo("APPROVE");

    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(server.bios).containsEntry("L1", "new bio");
    JsonNode shown = json(server.get(P + "/runs/" + runId, Role.VIEWER), 200);
    assertThat(shown.get("outcome").get("ended").asBoolean()).isTrue();
    assertThat(shown.get("outcome").get("answer").asText()).isEqualTo("bio set to {{task}}");
    assertThat(shown.get("toolCalls").get(0).get("status").asText()).isEqualTo("succeeded");
    // what ran: the version, the definition hash and the model, as the run's start recorded them
    assertThat(shown.get("run").get("workflowVersion").asText()).isEqualTo("3");
    assertThat(shown.get("run").get("definitionHash").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(shown.get("run").get("modelId").asText()).isEqualTo("scripted:scripted-crm");
    JsonNode again = json(server.get(P + "/approvals/" + runId + "/call_1_1", Role.VIEWER), 200);
    assertThat(again.get("pending").asBoolean()).isFalse();
    assertThat(
            json(
                    server.post(
                        P + "/approvals/" + approvalId + "/decision",
                        Role.APPROVER,
                        Json.object("decision", "reject", "message", "too late").toString()),
                    409)
                .get("error")
                .asText())
        .isEqualTo("already_decided");

    JsonNode audit = json(server.get(P + "/audit?workflow=crm", Role.VIEWER), 200);
    JsonNode entry = audit.get("entries").get(0);
    assertThat(entry.get("approver").asText()).isEqualTo("april");
    assertThat(entry.get("updatedBy").asText()).isEqualTo("agent:crm@3");
    assertThat(entry.get("change").get("after").get("bio").asText()).isEqualTo("new bio");
    assertThat(entry.get("revertedBy").isNull()).isTrue();

    JsonNode reverted =
        json(server.post(P + "/runs/" + runId + "/revert", Role.OPERATOR, null), 200);
    assertThat(reverted.get("complete").asBoolean()).isTrue();
    assertThat(reverted.get("reverted").get(0).get("inverseTool").asText()).isEqualTo("update_bio");
    assertThat(server.bios).containsEntry("L1", "original bio");
    JsonNode afterRevert = json(server.get(P + "/audit", Role.VIEWER), 200);
    assertThat(afterRevert.get("entries").get(0).get("revertedBy").asText()).isEqualTo("otto");
    JsonNode twice = json(server.post(P + "/runs/" + runId + "/revert", Role.OPERATOR, null), 200);
    assertThat(twice.get("reverted")).as("reverting twice reverts once").isEmpty();
  }

  @Test
  void aWorkflowRevertSinceAnInstantUndoesItsChanges() {
    Instant before = Instant.now().minusSeconds(1);
    RunId runId = server.start("crm", "bio one");
    server.post(
        P + "/approvals/" + approvalOf(runId) + "/decision",
        Role.APPROVER,
        Json.object("decision", "approve").toString());
    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(server.bios).containsEntry("L1", "bio one");

    JsonNode report =
        json(
            server.post(
                P + "/revert",
                Role.OPERATOR,
                Json.object("workflow", "crm", "since", before.toString()).toString()),
            200);

    assertThat(report.get("reverted")).hasSize(1);
    assertThat(server.bios).containsEntry("L1", "original bio");
  }

  @Test
  void theEventStreamReplaysThenFollowsTheRunUntilItEnds() throws Exception {
    RunId runId = server.start("crm", "streamed bio");
    String approvalId = approvalOf(runId);
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> response =
        server.http.sendAsync(
            server
                .request("GET", P + "/runs/" + runId + "/stream", Role.VIEWER, null)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> stream = response.get();
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(stream.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    Thread reader = Thread.ofVirtual().start(() -> stream.body().forEach(lines::add));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: ApprovalRequested"));
    assertThat(lines).doesNotContain("event: RunCompleted");

    server.post(
        P + "/approvals/" + approvalId + "/decision",
        Role.APPROVER,
        Json.object("decision", "approve").toString());

    reader.join(Duration.ofSeconds(20));
    assertThat(reader.isAlive()).as("the stream ends when the run ends").isFalse();
    List<String> events =
        lines.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
    assertThat(events)
        .startsWith("RunSubmitted", "RunStarted", "ModelResponded", "ToolCallProposed")
        .contains("ApprovalRequested", "ApprovalDecided", "ToolCallCompleted")
        .endsWith("RunCompleted", "end");
    List<Long> ids =
        lines.stream()
            .filter(l -> l.startsWith("id: "))
            .map(l -> Long.parseLong(l.substring(4)))
            .toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids.getLast()).isEqualTo(server.queue.store().find(runId).orElseThrow().lastSeq());
    String end = lines.get(lines.indexOf("event: end") + 1);
    assertThat(Json.parse(end.substring("data: ".length())).get("status").asText())
        .isEqualTo("COMPLETED");

    // a client that reconnects with Last-Event-ID gets only what followed
    HttpResponse<String> resumed =
        server.send(
            server
                .request("GET", P + "/runs/" + runId + "/stream", Role.VIEWER, null)
                .header("Last-Event-ID", String.valueOf(ids.get(ids.size() - 2)))
                .build());
    assertThat(resumed.body()).contains("event: RunCompleted").doesNotContain("event: RunStarted");
  }

  @Test
  void aKillSwitchParksANewRunAndAReviveLetsItResume() {
    JsonNode kill =
        json(
            server.post(
                P + "/kill",
                Role.OPERATOR,
                Json.object("scope", "workflow", "target", "notes", "reason", "bad notes")
                    .toString()),
            200);
    assertThat(kill.get("killSwitch").get("by").asText()).isEqualTo("otto");
    JsonNode switches = json(server.get(P + "/kill-switches", Role.VIEWER), 200);
    assertThat(switches.get("killSwitches").get(0).get("target").asText()).isEqualTo("notes");
    JsonNode workflows = json(server.get(P + "/workflows", Role.VIEWER), 200);
    assertThat(workflows.findValuesAsText("killedBy"))
        .anySatisfy(text -> assertThat(text).contains("bad notes"));

    RunId runId = server.start("notes", "take a note");
    server.awaitStatus(runId, RunStatus.KILLED);
    assertThat(
            json(server.post(P + "/runs/" + runId + "/resume", Role.OPERATOR, null), 409)
                .get("detail")
                .asText())
        .contains("revive it first");

    JsonNode revived =
        json(
            server.post(
                P + "/revive",
                Role.OPERATOR,
                Json.object("scope", "workflow", "target", "notes").toString()),
            200);
    assertThat(revived.get("revived").asBoolean()).isTrue();
    assertThat(revived.get("resumableRuns").findValuesAsText("")).isEmpty();
    assertThat(revived.get("resumableRuns").get(0).asText()).isEqualTo(runId.value());

    json(server.post(P + "/runs/" + runId + "/resume", Role.OPERATOR, null), 202);
    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(json(server.get(P + "/kill-switches", Role.VIEWER), 200).get("killSwitches"))
        .isEmpty();
  }

  @Test
  void aWaitingRunIsCancelledByTheOperator() {
    RunId runId = server.start("crm", "never mind");
    approvalOf(runId);

    JsonNode cancelled =
        json(
            server.post(
                P + "/runs/" + runId + "/cancel",
                Role.OPERATOR,
                Json.object("reason", "wrong lead").toString()),
            200);

    assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
    JsonNode shown = json(server.get(P + "/runs/" + runId, Role.VIEWER), 200);
    assertThat(shown.get("outcome").get("by").asText()).isEqualTo("otto");
    assertThat(shown.get("outcome").get("reason").asText()).isEqualTo("wrong lead");
    assertThat(json(server.get(P + "/approvals", Role.VIEWER), 200).get("approvals")).isEmpty();
    assertThat(server.post(P + "/runs/" + runId + "/cancel", Role.OPERATOR, null).statusCode())
        .isEqualTo(409);
  }

  @Test
  void decisionsAreValidatedAndTheApproverIsNeverARequestField() {
    RunId runId = server.start("crm", "checked bio");
    String decision = P + "/approvals/" + approvalOf(runId) + "/decision";

    JsonNode spoofed =
        json(
            server.post(
                decision,
                Role.APPROVER,
                Json.object("decision", "approve", "approver", "someone-else").toString()),
            400);
    assertThat(spoofed.get("field").asText()).isEqualTo("approver");
    JsonNode noArguments =
        json(server.post(decision, Role.APPROVER, Json.object("decision", "edit").toString()), 400);
    assertThat(noArguments.get("field").asText()).isEqualTo("arguments");
    JsonNode unknown =
        json(
            server.post(decision, Role.APPROVER, Json.object("decision", "maybe").toString()), 400);
    assertThat(unknown.get("field").asText()).isEqualTo("decision");
    JsonNode badEdit =
        json(
            server.post(
                decision,
                Role.APPROVER,
                Json.object("decision", "edit", "arguments", java.util.Map.of("leadId", 5))
                    .toString()),
            422);
    assertThat(badEdit.get("error").asText()).isEqualTo("invalid_edit");

    JsonNode edited =
        json(
            server.post(
                decision,
                Role.APPROVER,
                Json.object(
                        "decision",
                        "edit",
                        "arguments",
                        java.util.Map.of("leadId", "L1", "bio", "edited bio"))
                    .toString()),
            200);
    assertThat(edited.get("decision").asText()).isEqualTo("EDIT");
    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(server.bios).containsEntry("L1", "edited bio");
  }

  @Test
  void badRequestsAreRefusedWithAnErrorThatNamesTheField() {
    JsonNode noTask =
        json(
            server.post(P + "/runs", Role.OPERATOR, Json.object("workflow", "notes").toString()),
            400);
    assertThat(noTask.get("error").asText()).isEqualTo("invalid_request");
    assertThat(noTask.get("field").asText()).isEqualTo("task");
    assertThat(noTask.get("detail").asText()).isEqualTo("task is required");

    JsonNode unknownWorkflow =
        json(
            server.post(
                P + "/runs",
                Role.OPERATOR,
                Json.object("workflow", "payroll", "task", "pay").toString()),
            400);
    assertThat(unknownWorkflow.get("field").asText()).isEqualTo("workflow");
    assertThat(unknownWorkflow.get("detail").asText()).contains("served: crm, notes");

    JsonNode notJson = json(server.post(P + "/runs", Role.OPERATOR, "{\"workflow\": "), 400);
    assertThat(notJson.get("field").asText()).isEqualTo("body");

    HttpResponse<String> form =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/runs"))
                .header("Authorization", "Bearer " + server.secret(Role.OPERATOR))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("workflow=notes&task=x"))
                .build());
    assertThat(json(form, 415).get("error").asText()).isEqualTo("unsupported_media_type");

    String huge = Json.object("workflow", "notes", "task", "x".repeat(70_000)).toString();
    assertThat(json(server.post(P + "/runs", Role.OPERATOR, huge), 413).get("error").asText())
        .isEqualTo("payload_too_large");

    byte[] hugeBytes = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> chunked =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/runs"))
                .header("Authorization", "Bearer " + server.secret(Role.OPERATOR))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(hugeBytes)))
                .build());
    assertThat(json(chunked, 413).get("error").asText()).isEqualTo("payload_too_large");
    assertThat(server.queue.store().list(dev.bridle.core.journal.RunQuery.ALL)).isEmpty();

    assertThat(json(server.get(P + "/runs?limit=0", Role.VIEWER), 400).get("field").asText())
        .isEqualTo("limit");
    assertThat(json(server.get(P + "/runs?status=done", Role.VIEWER), 400).get("field").asText())
        .isEqualTo("status");
    assertThat(
            json(server.get(P + "/audit?since=yesterday", Role.VIEWER), 400).get("field").asText())
        .isEqualTo("since");
    assertThat(json(server.get(P + "/runs/bad%20id", Role.VIEWER), 400).get("field").asText())
        .isEqualTo("id");
    assertThat(
            json(
                    server.post(
                        P + "/kill", Role.OPERATOR, Json.object("scope", "workflow").toString()),
                    400)
                .get("field")
                .asText())
        .isEqualTo("target");
    JsonNode nowhere = json(server.get(P + "/nowhere", Role.VIEWER), 404);
    assertThat(nowhere.get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void runsAreListedAndFiltered() {
    RunId note = server.start("notes", "first note");
    server.awaitStatus(note, RunStatus.COMPLETED);
    RunId crm = server.start("crm", "a bio");
    server.awaitStatus(crm, RunStatus.SUSPENDED);

    JsonNode all = json(server.get(P + "/runs", Role.VIEWER), 200);
    assertThat(all.get("runs").findValuesAsText("id")).containsExactly(crm.value(), note.value());
    JsonNode suspended = json(server.get(P + "/runs?status=suspended", Role.VIEWER), 200);
    assertThat(suspended.get("runs").findValuesAsText("id")).containsExactly(crm.value());
    JsonNode notes =
        json(server.get(P + "/runs?workflow=notes&user=otto&limit=5", Role.VIEWER), 200);
    assertThat(notes.get("runs").findValuesAsText("id")).containsExactly(note.value());
    JsonNode events = json(server.get(P + "/runs/" + note + "/events?after=1", Role.VIEWER), 200);
    assertThat(events.get("events").get(0).get("seq").asLong()).isEqualTo(2);
    assertThat(events.get("events").findValuesAsText("type")).endsWith("RunCompleted");

    JsonNode workflow = json(server.get(P + "/workflows/crm", Role.VIEWER), 200);
    assertThat(workflow.get("version").asText()).isEqualTo("3");
    assertThat(workflow.get("mode").asText()).isEqualTo("PROPOSE");
    assertThat(workflow.get("policyVersion").asText()).isEqualTo("crm-policy-1");
    assertThat(workflow.get("tools").get(0).get("effect").asText()).isEqualTo("WRITE");
    assertThat(workflow.get("versions").get(0).get("version").asText()).isEqualTo("3");
    assertThat(server.get(P + "/workflows/payroll", Role.VIEWER).statusCode()).isEqualTo(404);
  }

  @Test
  void aSessionCookieWorksForReadsAndNeedsTheCsrfTokenForChanges() {
    HttpResponse<String> login =
        server.post(
            P + "/login", null, Json.object("token", server.secret(Role.OPERATOR)).toString());
    JsonNode session = json(login, 200);
    assertThat(session.get("principal").asText()).isEqualTo("otto");
    assertThat(session.get("role").asText()).isEqualTo("operator");
    String csrf = session.get("csrfToken").asText();
    List<String> setCookies = login.headers().allValues("Set-Cookie");
    String sessionCookie =
        setCookies.stream()
            .filter(c -> c.startsWith(Authenticator.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertThat(sessionCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    assertThat(sessionCookie).doesNotContain("Secure");
    String cookie = sessionCookie.substring(0, sessionCookie.indexOf(';'));

    HttpResponse<String> read =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/runs")).header("Cookie", cookie).build());
    assertThat(read.statusCode()).isEqualTo(200);

    String kill = Json.object("scope", "workflow", "target", "notes").toString();
    HttpResponse<String> withoutCsrf =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/kill"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(kill))
                .build());
    assertThat(json(withoutCsrf, 403).get("error").asText()).isEqualTo("csrf");
    HttpResponse<String> wrongCsrf =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/kill"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf + "x")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(kill))
                .build());
    assertThat(wrongCsrf.statusCode()).isEqualTo(403);
    assertThat(server.kills.active()).isEmpty();

    HttpResponse<String> withCsrf =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/kill"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(kill))
                .build());
    assertThat(withCsrf.statusCode()).isEqualTo(200);
    assertThat(server.kills.active())
        .singleElement()
        .satisfies(k -> assertThat(k.by()).isEqualTo("otto"));

    HttpResponse<String> logout =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/logout"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(logout.statusCode()).isEqualTo(204);
    HttpResponse<String> afterLogout =
        server.send(
            HttpRequest.newBuilder(server.uri(P + "/runs")).header("Cookie", cookie).build());
    assertThat(afterLogout.statusCode()).isEqualTo(401);

    assertThat(
            server
                .post(P + "/login", null, Json.object("token", "brl_wrong").toString())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void revokingATokenEndsItsSessions() {
    var issued = server.tokens.issue("temp", Role.VIEWER);
    HttpResponse<String> login =
        server.post(P + "/login", null, Json.object("token", issued.secret()).toString());
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(Authenticator.SESSION_COOKIE + "="))
            .map(c -> c.substring(0, c.indexOf(';')))
            .findFirst()
            .orElseThrow();
    HttpRequest read =
        HttpRequest.newBuilder(server.uri(P + "/runs")).header("Cookie", cookie).build();
    assertThat(server.send(read).statusCode()).isEqualTo(200);

    assertThat(
            server
                .call("DELETE", P + "/tokens/" + issued.token().id(), Role.ADMIN, null)
                .statusCode())
        .isEqualTo(204);

    assertThat(server.send(read).statusCode()).isEqualTo(401);
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    List<HttpResponse<String>> responses = new ArrayList<>();
    responses.add(server.get("/healthz", null));
    responses.add(server.get(P + "/runs", Role.VIEWER));
    responses.add(server.get(P + "/runs", null));
    responses.add(server.get(P + "/tokens", Role.VIEWER));
    responses.add(server.get(P + "/nowhere", Role.VIEWER));
    responses.add(server.post(P + "/runs", Role.OPERATOR, "[]"));

    for (HttpResponse<String> response : responses) {
      var headers = response.headers();
      assertThat(headers.firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
      assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
      assertThat(headers.firstValue("Server")).isEmpty();
      assertThat(headers.firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }
    assertThat(Json.parse(responses.getFirst().body()).toString()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void aSecretOrACardNumberInATaskNeverLeavesTheServer() throws Exception {
    String apiKey = "sk-proj-Zx81QmW2tLk9PvB3nR7yHs4dJf6Ga0Ce";
    String card = "4111111111111111";
    String task = "set the bio to: key " + apiKey + " card " + card;
    RunId runId = server.start("crm", task);
    String approvalId = approvalOf(runId);

    List<String> bodies = new ArrayList<>();
    bodies.add(server.get(P + "/approvals", Role.VIEWER).body());
    bodies.add(server.get(P + "/approvals/" + approvalId, Role.VIEWER).body());
    bodies.add(
        server
            .post(
                P + "/approvals/" + approvalId + "/decision",
                Role.APPROVER,
                Json.object("decision", "approve", "message", "ok " + card).toString())
            .body());
    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(server.bios.get("L1")).as("the tool saw the real value").contains(card);
    bodies.add(server.get(P + "/runs", Role.VIEWER).body());
    bodies.add(server.get(P + "/runs/" + runId, Role.VIEWER).body());
    bodies.add(server.get(P + "/runs/" + runId + "/events", Role.VIEWER).body());
    bodies.add(server.get(P + "/runs/" + runId + "/stream", Role.VIEWER).body());
    bodies.add(server.get(P + "/audit", Role.VIEWER).body());
    bodies.add(server.post(P + "/runs/" + runId + "/revert", Role.OPERATOR, null).body());
    bodies.add(server.get(P + "/audit", Role.VIEWER).body());
    bodies.add(
        server
            .post(
                P + "/runs",
                Role.OPERATOR,
                Json.object("workflow", "crm", "task", "t", "user", "x y " + card).toString())
            .body());
    bodies.add(server.get(P + "/runs?user=" + card, Role.VIEWER).body());

    assertThat(String.join("\n", bodies))
        .contains("[REDACTED:API_KEY]")
        .contains("[REDACTED:CREDIT_CARD]")
        .doesNotContain(apiKey)
        .doesNotContain(card)
        .doesNotContain("Zx81QmW2tLk9");
  }
}
