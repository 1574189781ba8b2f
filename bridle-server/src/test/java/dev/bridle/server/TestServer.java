package dev.bridle.server;

import static org.awaitility.Awaitility.await;

import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.InMemoryKillSwitch;
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
import dev.bridle.core.tool.ToolOutput;
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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A real server for the tests: a SQLite store in a temporary directory, API tokens in its {@code
 * api_tokens} table, an in-memory kill switch shared with the agents, a worker, and HTTP on a free
 * port. Two workflows: {@code crm} updates a lead's bio (a reversible WRITE) under a PROPOSE
 * policy, so each run waits for an approval; {@code notes} answers at once.
 */
final class TestServer implements AutoCloseable {

  /** Arguments of the crm workflow's one tool. */
  record UpdateBio(String leadId, String bio) {}

  static final String PREFIX = "/api/v1";

  final RunQueue queue;
  final InMemoryKillSwitch kills = new InMemoryKillSwitch();
  final TokenStore tokens;
  final Map<String, String> bios = new ConcurrentHashMap<>(Map.of("L1", "original bio"));
  final Map<Role, String> secrets = new EnumMap<>(Role.class);
  final BridleServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestServer(Path dir) {
    this(dir, builder -> builder);
  }

  /** A test server with more settings ({@code settings} sees the builder before it is built). */
  TestServer(Path dir, java.util.function.UnaryOperator<BridleServer.Builder> settings) {
    Path db = dir.resolve("bridle.db");
    queue = RunStores.openQueue("sqlite:" + db);
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5_000);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + db);
    tokens = new JdbcTokenStore(dataSource, Clock.systemUTC());
    secrets.put(Role.VIEWER, tokens.issue("vic", Role.VIEWER).secret());
    secrets.put(Role.APPROVER, tokens.issue("april", Role.APPROVER).secret());
    secrets.put(Role.OPERATOR, tokens.issue("otto", Role.OPERATOR).secret());
    secrets.put(Role.ADMIN, tokens.issue("ada", Role.ADMIN).secret());
    BridleServer.Builder builder =
        BridleServer.builder()
            .queue(queue)
            .killSwitch(kills)
            .tokens(tokens)
            .workflow("crm", this::crm)
            .workflow("notes", this::notes)
            .metrics(() -> "# HELP bridle_test_up a test gauge\nbridle_test_up 1\n")
            .deploymentEvidence(RunStores.deploymentEvidence(queue.store()))
            .port(0)
            .nodeId("test-node")
            .workerConcurrency(4)
            .pollInterval(Duration.ofMillis(20))
            .leaseTime(Duration.ofSeconds(3))
            .streamPollInterval(Duration.ofMillis(50));
    server = settings.apply(builder).build().start();
  }

  private Agent crm(RunStore journal) {
    Tool<UpdateBio> updateBio =
        Tool.builder("update_bio", UpdateBio.class)
            .description("Replace a lead's bio")
            .effect(Effect.WRITE)
            .reversible(true)
            .idempotent(true)
            .preview(a -> "bio of " + a.leadId() + " becomes '" + a.bio() + "'")
            .handler(
                (a, ctx) -> {
                  String previous = bios.put(a.leadId(), a.bio());
                  return ToolOutput.of("bio updated")
                      .changed(
                          "crm:lead/" + a.leadId(), Map.of("bio", previous), Map.of("bio", a.bio()))
                      .undoneBy("update_bio", new UpdateBio(a.leadId(), previous));
                })
            .build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .name("scripted-crm")
            .thenCall("update_bio", Map.of("leadId", "L1", "bio", "{{task}}"))
            .thenAnswer("bio set to {{task}}")
            .build();
    return Agent.builder()
        .name("crm")
        .version("3")
        .model(model)
        .tool(updateBio)
        // the workflow's own mode unless an operator changed it (POST /workflows/crm/mode)
        .policy(
            RunStores.deploymentEvidence(queue.store())
                .effectivePolicy(
                    "crm",
                    Policy.builder()
                        .version("crm-policy-1")
                        .mode(Mode.PROPOSE)
                        .rule(Rule.allow("*").withId("allow-crm"))
                        .build()))
        .killSwitch(kills)
        .journal(journal)
        .build();
  }

  private Agent notes(RunStore journal) {
    return Agent.builder()
        .name("notes")
        .model(ScriptedChatModel.builder().name("scripted-notes").thenAnswer("noted").build())
        .killSwitch(kills)
        .journal(journal)
        .build();
  }

  String secret(Role role) {
    return secrets.get(role);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** A request to {@code path} with the token of {@code role} (none when null). */
  HttpRequest.Builder request(String method, String path, Role role, String jsonBody) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    if (role != null) {
      builder.header("Authorization", "Bearer " + secret(role));
    }
    if (jsonBody == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> call(String method, String path, Role role, String jsonBody) {
    return send(request(method, path, role, jsonBody).build());
  }

  HttpResponse<String> get(String path, Role role) {
    return call("GET", path, role, null);
  }

  HttpResponse<String> post(String path, Role role, String jsonBody) {
    return call("POST", path, role, jsonBody);
  }

  /** Submits a run through the API as the operator; its id. */
  RunId start(String workflow, String task) {
    HttpResponse<String> response =
        post(
            PREFIX + "/runs",
            Role.OPERATOR,
            Json.object("workflow", workflow, "task", task).toString());
    if (response.statusCode() != 202) {
      throw new AssertionError("starting a run: " + response.statusCode() + " " + response.body());
    }
    return RunId.of(Json.parse(response.body()).get("id").asText());
  }

  RunStatus awaitStatus(RunId runId, RunStatus status) {
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> queue.store().find(runId).map(r -> r.status() == status).orElse(false));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "run "
              + runId
              + " did not reach "
              + status
              + "; it is "
              + queue.store().find(runId)
              + " with events "
              + queue.store().read(runId).stream()
                  .map(entry -> dev.bridle.core.journal.EventCodec.encode(entry.event()))
                  .toList(),
          e);
    }
    return status;
  }

  @Override
  public void close() {
    server.close();
    queue.store().close();
  }
}
