package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.deploy.ReadinessSettings;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.server.auth.InMemoryTokenStore;
import dev.bridle.server.auth.Role;
import dev.bridle.store.RunStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment endpoints on a real server (SQLite, HTTP on port 0, token auth): an operator's
 * mode change that the worker's next run obeys, a human's decision on the shadow run, agreement and
 * readiness, feedback by the requester or a reviewer only, the mode log; 401 without a token, 403
 * below the role.
 */
class DeploymentApiTest {

  private static final String P = TestServer.PREFIX;

  @TempDir Path dir;

  private TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Json.parse(response.body());
  }

  @Test
  void anOperatorsModeChangeIsAuditedAndTheWorkersNextRunObeysIt() {
    HttpResponse<String> asApprover =
        server.post(
            P + "/workflows/crm/mode",
            Role.APPROVER,
            Json.object("mode", "shadow", "reason", "wrong bios").toString());
    assertThat(asApprover.statusCode()).isEqualTo(403);
    assertThat(
            server
                .post(
                    P + "/workflows/crm/mode",
                    null,
                    Json.object("mode", "shadow", "reason", "x").toString())
                .statusCode())
        .isEqualTo(401);

    JsonNode change =
        ok(
            server.post(
                P + "/workflows/crm/mode",
                Role.OPERATOR,
                Json.object("mode", "shadow", "reason", "wrong bios reported").toString()),
            200);
    assertThat(change.get("from").asText()).isEqualTo("PROPOSE");
    assertThat(change.get("to").asText()).isEqualTo("SHADOW");
    assertThat(change.get("by").asText()).isEqualTo("otto");
    assertThat(change.get("forced").asBoolean()).isFalse();

    // crm asks before every write in PROPOSE; in SHADOW the run completes and writes nothing
    RunId runId = server.start("crm", "new bio");
    server.awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(server.bios).containsEntry("L1", "original bio");
    assertThat(server.queue.store().read(runId))
        .extracting(JournalEntry::event)
        .hasAtLeastOneElementOfType(RunEvent.ToolCallShadowed.class);

    JsonNode log = ok(server.get(P + "/workflows/crm/mode-changes", Role.VIEWER), 200);
    assertThat(log.get("modeChanges")).hasSize(1);
    assertThat(log.get("modeChanges").get(0).get("reason").asText())
        .isEqualTo("wrong bios reported");

    HttpResponse<String> again =
        server.post(
            P + "/workflows/crm/mode",
            Role.ADMIN,
            Json.object("mode", "SHADOW", "reason", "again").toString());
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Json.parse(again.body()).get("detail").asText()).contains("is in SHADOW already");
  }

  @Test
  void aHumansDecisionOnAShadowRunMakesTheAgreementAndTheReadiness() {
    ok(
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "shadow", "reason", "trial").toString()),
        200);
    RunId runId = server.start("crm", "baker in Fernhollow");
    server.awaitStatus(runId, RunStatus.COMPLETED);
    String path = P + "/runs/" + runId + "/shadow-decision";
    String same =
        "{\"calls\": [{\"tool\": \"update_bio\", \"arguments\": {\"bio\": \"baker in Fernhollow\","
            + " \"leadId\": \"L1\"}}]}";

    assertThat(server.post(path, Role.VIEWER, same).statusCode()).isEqualTo(403);
    assertThat(server.post(path, null, same).statusCode()).isEqualTo(401);
    JsonNode recorded = ok(server.post(path, Role.APPROVER, same), 201);
    assertThat(recorded.get("by").asText()).isEqualTo("april");
    assertThat(recorded.get("workflowVersion").asText()).isEqualTo("3");
    assertThat(recorded.get("calls").get(0).get("tool").asText()).isEqualTo("update_bio");

    HttpResponse<String> twice = server.post(path, Role.ADMIN, "{\"calls\": \"none\"}");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(Json.parse(twice.body()).get("error").asText()).isEqualTo("already_recorded");
    HttpResponse<String> bad =
        server.post(P + "/runs/" + runId + "/shadow-decision", Role.APPROVER, "{\"calls\": 3}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.parse(bad.body()).get("field").asText()).isEqualTo("calls");

    JsonNode agreement = ok(server.get(P + "/workflows/crm/agreement", Role.VIEWER), 200);
    assertThat(agreement.get("total").get("agreed").asInt()).isEqualTo(1);
    assertThat(agreement.get("byTool").get("update_bio").get("compared").asInt()).isEqualTo(1);

    JsonNode readiness = ok(server.get(P + "/workflows/crm/readiness", Role.VIEWER), 200);
    assertThat(readiness.get("version").asText()).isEqualTo("3");
    assertThat(readiness.get("currentMode").asText()).isEqualTo("SHADOW");
    assertThat(readiness.get("modeSource").asText()).isEqualTo("override");
    assertThat(readiness.get("supported").asText()).isEqualTo("SHADOW");
    assertThat(readiness.get("recommendation").get("kind").asText()).isEqualTo("hold");
    assertThat(readiness.get("recommendation").get("missing").get(0).asText())
        .startsWith("agreement-sample: 1 comparison, needs at least 50");
    assertThat(readiness.get("steps")).hasSize(3);
    assertThat(server.get(P + "/workflows/crm/readiness", null).statusCode()).isEqualTo(401);
    assertThat(server.get(P + "/workflows/Not_A_Name/readiness", Role.VIEWER).statusCode())
        .isEqualTo(400);

    JsonNode compared = ok(server.get(P + "/workflows/crm/compare?versions=3,4", Role.VIEWER), 200);
    assertThat(compared.get("versions").get(0).get("runs").asInt()).isEqualTo(1);
    assertThat(compared.get("versions").get(1).get("runs").asInt()).isZero();
  }

  @Test
  void readinessAndAModeChangeUseTheServedWorkflowsThresholds() {
    server.close();
    // as bridle serve registers each file's promotion: section
    server =
        new TestServer(
            dir,
            builder ->
                builder.promotion(
                    "crm",
                    "3",
                    ReadinessSettings.DEFAULT.withMinimumComparisons(1).withStreaks(2, 4)));
    ok(
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "shadow", "reason", "trial").toString()),
        200);
    RunId runId = server.start("crm", "baker");
    server.awaitStatus(runId, RunStatus.COMPLETED);
    ok(
        server.post(
            P + "/runs/" + runId + "/shadow-decision",
            Role.APPROVER,
            "{\"calls\": [{\"tool\": \"update_bio\", \"arguments\": {\"bio\": \"baker\","
                + " \"leadId\": \"L1\"}}]}"),
        201);

    JsonNode readiness = ok(server.get(P + "/workflows/crm/readiness", Role.VIEWER), 200);
    assertThat(readiness.get("settings").get("minimumComparisons").asInt()).isEqualTo(1);
    assertThat(readiness.get("settings").get("supervisedStreak").asInt()).isEqualTo(2);
    assertThat(readiness.get("supported").asText())
        .as("one agreed comparison meets the workflow's own threshold; the default 50 would not")
        .isEqualTo("PROPOSE");
    assertThat(readiness.get("recommendation").get("kind").asText()).isEqualTo("advance");

    JsonNode change =
        ok(
            server.post(
                P + "/workflows/crm/mode",
                Role.OPERATOR,
                Json.object("mode", "propose", "reason", "agreement met").toString()),
            200);
    assertThat(change.get("evidence").asText())
        .contains("version 3 supports PROPOSE")
        .contains("min 1 comparisons")
        .contains("supervised-streak 2, autonomous-streak 4");

    // a version this node does not serve is assessed with the served version's thresholds
    JsonNode other = ok(server.get(P + "/workflows/crm/readiness?version=9", Role.VIEWER), 200);
    assertThat(other.get("settings").get("minimumComparisons").asInt()).isEqualTo(1);
    // a workflow given no thresholds keeps the defaults
    JsonNode notes = ok(server.get(P + "/workflows/notes/readiness", Role.VIEWER), 200);
    assertThat(notes.get("settings").get("minimumComparisons").asInt()).isEqualTo(50);
  }

  @Test
  void theWorkflowsListShowsTheModeInForceAfterAnOperatorsChange() {
    JsonNode before = ok(server.get(P + "/workflows/crm", Role.VIEWER), 200);
    assertThat(before.get("mode").asText()).isEqualTo("PROPOSE");
    assertThat(before.get("modeSource").asText()).isEqualTo("declared");
    assertThat(before.get("override").isNull()).isTrue();
    assertThat(before.get("policyVersion").asText()).isEqualTo("crm-policy-1");

    ok(
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "shadow", "reason", "wrong bios").toString()),
        200);

    JsonNode after = ok(server.get(P + "/workflows/crm", Role.VIEWER), 200);
    assertThat(after.get("mode").asText()).isEqualTo("SHADOW");
    assertThat(after.get("modeSource").asText()).isEqualTo("override");
    assertThat(after.get("override").get("by").asText()).isEqualTo("otto");
    assertThat(after.get("policyVersion").asText())
        .as("the agent shown is built anew under the change")
        .isEqualTo("crm-policy-1/mode=shadow");
    JsonNode listed = ok(server.get(P + "/workflows", Role.VIEWER), 200).get("workflows");
    JsonNode crm = null;
    for (JsonNode one : listed) {
      if (one.get("name").asText().equals("crm")) {
        crm = one;
      }
    }
    assertThat(crm).isNotNull();
    assertThat(crm.get("mode").asText()).isEqualTo("SHADOW");
    assertThat(crm.get("modeSource").asText()).isEqualTo("override");

    ok(
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "supervised", "reason", "trusted again").toString()),
        200);
    JsonNode again = ok(server.get(P + "/workflows/crm", Role.VIEWER), 200);
    assertThat(again.get("mode").asText()).isEqualTo("SUPERVISED");
    assertThat(again.get("policyVersion").asText()).isEqualTo("crm-policy-1/mode=supervised");
  }

  @Test
  void autonomousAgainstTheEvidenceNeedsForceAndIsRecordedAsForced() {
    HttpResponse<String> refused =
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "autonomous", "reason", "go").toString());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(Json.parse(refused.body()).get("error").asText()).isEqualTo("not_ready");
    assertThat(Json.parse(refused.body()).get("detail").asText())
        .contains("the evidence does not support AUTONOMOUS for crm");

    JsonNode forced =
        ok(
            server.post(
                P + "/workflows/crm/mode",
                Role.ADMIN,
                "{\"mode\": \"autonomous\", \"reason\": \"incident 7\", \"force\": true}"),
            200);
    assertThat(forced.get("forced").asBoolean()).isTrue();
    assertThat(forced.get("by").asText()).isEqualTo("ada");
    // no run yet: the served version (3) is the one assessed, not "the newest run's"
    assertThat(forced.get("evidence").asText()).startsWith("version 3 supports SHADOW");

    HttpResponse<String> unknownField =
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "shadow", "reason", "x", "by", "mallory").toString());
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(Json.parse(unknownField.body()).get("field").asText()).isEqualTo("by");
    HttpResponse<String> noReason =
        server.post(P + "/workflows/crm/mode", Role.OPERATOR, "{\"mode\": \"shadow\"}");
    assertThat(Json.parse(noReason.body()).get("field").asText()).isEqualTo("reason");
    HttpResponse<String> badMode =
        server.post(
            P + "/workflows/crm/mode",
            Role.OPERATOR,
            Json.object("mode", "yolo", "reason", "x").toString());
    assertThat(Json.parse(badMode.body()).get("detail").asText())
        .isEqualTo("mode must be one of shadow, propose, supervised, autonomous, but was 'yolo'");
  }

  @Test
  void feedbackComesFromTheRequesterOrAReviewerAndItsCommentIsRedacted() {
    HttpResponse<String> submitted =
        server.post(
            P + "/runs",
            Role.OPERATOR,
            Json.object("workflow", "notes", "task", "note it", "user", "vic").toString());
    RunId runId = RunId.of(Json.parse(submitted.body()).get("id").asText());
    server.awaitStatus(runId, RunStatus.COMPLETED);
    String path = P + "/runs/" + runId + "/feedback";
    String otherViewer = server.tokens.issue("val", Role.VIEWER).secret();

    JsonNode mine =
        ok(
            server.post(
                path,
                Role.VIEWER,
                "{\"rating\": 2, \"comment\": \"wrong address, write to dana@example.com\"}"),
            201);
    assertThat(mine.get("by").asText()).isEqualTo("vic");
    assertThat(mine.get("comment").asText())
        .doesNotContain("dana@example.com")
        .contains("[REDACTED:EMAIL]");
    assertThat(
            ok(server.post(path, Role.VIEWER, "{\"rating\": 4}"), 200).get("replaced").asBoolean())
        .isTrue();
    ok(
        server.post(
            path, Role.APPROVER, "{\"rating\": 5, \"comment\": \"fine; ask pat@example.com\"}"),
        201);

    HttpResponse<String> notTheirs =
        server.send(
            server
                .request("POST", path, null, "{\"rating\": 1}")
                .header("Authorization", "Bearer " + otherViewer)
                .build());
    assertThat(notTheirs.statusCode()).isEqualTo(403);
    assertThat(server.post(path, null, "{\"rating\": 1}").statusCode()).isEqualTo(401);
    assertThat(
            Json.parse(server.post(path, Role.VIEWER, "{\"rating\": \"4\"}").body())
                .get("field")
                .asText())
        .isEqualTo("rating");
    assertThat(server.post(path, Role.VIEWER, "{\"rating\": 9}").body())
        .contains("rating must be between 1 and 5");
    assertThat(
            server
                .post(
                    path,
                    Role.VIEWER,
                    Json.object("rating", 3, "comment", "x".repeat(2_001)).toString())
                .statusCode())
        .isEqualTo(400);

    JsonNode readiness = ok(server.get(P + "/workflows/notes/readiness", Role.VIEWER), 200);
    assertThat(readiness.get("feedback").get("count").asInt()).isEqualTo(2);
    assertThat(readiness.get("feedback").get("mean").asDouble()).isEqualTo(4.5);

    JsonNode onRun = ok(server.get(path, Role.VIEWER), 200);
    assertThat(onRun.get("feedback")).hasSize(2);
    assertThat(onRun.get("feedback").findValuesAsText("by"))
        .containsExactlyInAnyOrder("vic", "april");
    assertThat(onRun.get("feedback").findValuesAsText("rating"))
        .containsExactlyInAnyOrder("4", "5");
    assertThat(onRun.toString())
        .doesNotContain("pat@example.com")
        .doesNotContain("dana@example.com")
        .contains("[REDACTED:EMAIL]");
    assertThat(server.get(path, null).statusCode()).isEqualTo(401);
    assertThat(server.get(P + "/runs/run-nope/feedback", Role.VIEWER).statusCode()).isEqualTo(404);
  }

  @Test
  void aServerWithoutAnEvidenceStoreAnswers501() throws Exception {
    InMemoryTokenStore tokens = new InMemoryTokenStore();
    String secret = tokens.issue("vic", Role.VIEWER).secret();
    dev.bridle.core.cluster.RunQueue queue =
        RunStores.openQueue("sqlite:" + dir.resolve("bare.db"));
    try (dev.bridle.core.journal.RunStore store = queue.store();
        BridleServer bare =
            BridleServer.builder()
                .queue(queue)
                .killSwitch(KillSwitch.NONE)
                .tokens(tokens)
                .port(0)
                .workerConcurrency(0)
                .build()
                .start()) {
      HttpResponse<String> response =
          server.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:" + bare.port() + P + "/workflows/crm/readiness"))
                  .header("Authorization", "Bearer " + secret)
                  .build());
      assertThat(response.statusCode()).isEqualTo(501);
      assertThat(Json.parse(response.body()).get("error").asText()).isEqualTo("not_configured");
    }
  }
}
