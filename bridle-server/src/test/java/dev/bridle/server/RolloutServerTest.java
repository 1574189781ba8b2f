package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.InMemoryKillSwitch;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.Percentage;
import dev.bridle.server.auth.JdbcTokenStore;
import dev.bridle.server.auth.Role;
import dev.bridle.server.auth.TokenStore;
import dev.bridle.store.RunStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Two versions of one workflow side by side through the real server: HTTP on a free port, a SQLite
 * store, the worker. Each run is started on the version its id picks, and finishes there after a
 * restart that changed the traffic.
 */
class RolloutServerTest {

  record Note(String text) {}

  private static final String P = "/api/v1";

  @TempDir Path dir;
  private RunQueue queue;
  private TokenStore tokens;
  private final Map<Role, String> secrets = new HashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private BridleServer server;

  @BeforeEach
  void open() {
    Path db = dir.resolve("bridle.db");
    queue = RunStores.openQueue("sqlite:" + db);
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5_000);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + db);
    tokens = new JdbcTokenStore(dataSource, Clock.systemUTC());
    secrets.put(Role.OPERATOR, tokens.issue("otto", Role.OPERATOR).secret());
    secrets.put(Role.APPROVER, tokens.issue("april", Role.APPROVER).secret());
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    queue.store().close();
  }

  /** Version {@code version} of {@code triage}: a note to approve, then an answer naming it. */
  private static Function<RunStore, Agent> triage(String version) {
    return journal ->
        Agent.builder()
            .name("triage")
            .version(version)
            .instructions("Version " + version + ".")
            .model(
                ScriptedChatModel.builder()
                    .name("triage-" + version)
                    .thenCall("write_note", Map.of("text", "{{task}}"))
                    .thenAnswer("answered by version " + version)
                    .build())
            .tool(
                Tool.builder("write_note", Note.class)
                    .description("Writes a note on the ticket")
                    .effect(Effect.WRITE)
                    .handler((args, ctx) -> "noted")
                    .build())
            .policy(Policy.builder().mode(Mode.PROPOSE).rule(Rule.allow("*")).build())
            .journal(journal)
            .build();
  }

  private static Rollout rollout(String v3, String v4) {
    return Rollout.builder("triage")
        .version("3", Percentage.parse(v3), "triage-v3.yaml", triage("3"))
        .version("4", Percentage.parse(v4), "triage-v4.yaml", triage("4"))
        .build();
  }

  private void serve(Rollout rollout) {
    if (server != null) {
      server.close();
    }
    server =
        BridleServer.builder()
            .queue(queue)
            .killSwitch(new InMemoryKillSwitch())
            .tokens(tokens)
            .workflow(rollout)
            .port(0)
            .nodeId("rollout-node")
            .workerConcurrency(4)
            .pollInterval(Duration.ofMillis(20))
            .leaseTime(Duration.ofSeconds(3))
            .build()
            .start();
  }

  private JsonNode call(String method, String path, Role role, String body, int status) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + secrets.get(role));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
      return Json.parse(response.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private RunStatus status(RunId run) {
    return queue.store().find(run).orElseThrow().status();
  }

  private List<RunEvent> events(RunId run) {
    return queue.store().read(run).stream().map(JournalEntry::event).toList();
  }

  @Test
  void aCanaryRunsNextToTheStableVersionAndEveryRunFinishesOnTheVersionItStartedWith() {
    Rollout canary = rollout("50%", "50%");
    serve(canary);
    JsonNode described = call("GET", P + "/workflows/triage", Role.OPERATOR, null, 200);
    assertThat(described.get("rollout").findValuesAsText("version")).containsExactly("3", "4");
    assertThat(described.get("rollout").findValuesAsText("traffic")).containsExactly("50%", "50%");
    assertThat(described.get("rollout").get(1).get("definitionHash").asText())
        .isNotEqualTo(described.get("rollout").get(0).get("definitionHash").asText())
        .matches("sha256:[0-9a-f]{64}");

    List<RunId> runs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      JsonNode started =
          call(
              "POST",
              P + "/runs",
              Role.OPERATOR,
              Json.object("workflow", "triage", "task", "ticket " + i).toString(),
              202);
      runs.add(RunId.of(started.get("id").asText()));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runs.stream().allMatch(run -> status(run) == RunStatus.SUSPENDED));

    Map<String, Integer> perVersion = new HashMap<>();
    for (RunId run : runs) {
      String picked = canary.pick(run).orElseThrow();
      JsonNode shown = call("GET", P + "/runs/" + run, Role.OPERATOR, null, 200).get("run");
      assertThat(shown.get("workflowVersion").asText()).isEqualTo(picked);
      assertThat(shown.get("modelId").asText()).isEqualTo("scripted:triage-" + picked);
      perVersion.merge(picked, 1, Integer::sum);
    }
    // 24 random run ids at 50%: both versions get runs (all on one side: 2 in 10 million)
    assertThat(perVersion).containsOnlyKeys("3", "4");

    // the canary is rolled back while its runs wait for a human: version 4 gets no new runs, but
    // the runs it started finish on it, here after a restart
    serve(rollout("100%", "0%"));
    for (RunId run : runs) {
      call(
          "POST",
          P + "/approvals/" + run + "/call_1_1/decision",
          Role.APPROVER,
          Json.object("decision", "approve").toString(),
          200);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runs.stream().allMatch(run -> status(run) == RunStatus.COMPLETED));
    for (RunId run : runs) {
      String version = canary.pick(run).orElseThrow();
      List<RunEvent> events = events(run);
      assertThat(((RunEvent.RunCompleted) events.getLast()).answer())
          .isEqualTo("answered by version " + version);
      assertThat(events).filteredOn(RunEvent.RunStarted.class::isInstance).hasSize(1);
    }

    // new runs now all go to version 3
    RunId after =
        RunId.of(
            call(
                    "POST",
                    P + "/runs",
                    Role.OPERATOR,
                    Json.object("workflow", "triage", "task", "after the rollback").toString(),
                    202)
                .get("id")
                .asText());
    await().atMost(Duration.ofSeconds(30)).until(() -> status(after) == RunStatus.SUSPENDED);
    assertThat(queue.store().find(after).orElseThrow().workflowVersion()).isEqualTo("3");
  }
}
