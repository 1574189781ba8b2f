package dev.bridle.server.dashboard;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.InMemoryKillSwitch;
import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.ModelPrice;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import dev.bridle.server.BridleServer;
import dev.bridle.server.auth.JdbcTokenStore;
import dev.bridle.server.auth.Role;
import dev.bridle.server.auth.TokenStore;
import dev.bridle.store.RunStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A real server for the dashboard's tests: a SQLite store in a temporary directory, API tokens in
 * its database, an in-memory kill switch shared with the agents, a worker, and HTTP on a free port.
 * Two workflows: {@code crm} updates a lead's bio (a reversible WRITE) under a PROPOSE policy, so
 * each run waits for an approval; its model reports {@value #INPUT_TOKENS} input and {@value
 * #OUTPUT_TOKENS} output tokens per call at a price (so each call costs {@value #CALL_COST_USD}
 * dollars) and a workflow-day budget raises a soft alert from half a cent (the pre-call estimate
 * assumes one output token, so the first run's second call is the one that crosses it); it runs in
 * the mode of the latest mode change when an operator made one ({@code POST
 * /api/v1/workflows/crm/mode}), so in SHADOW its runs complete without writing. {@code notes}
 * answers at once from a model without a price. The deployment evidence lives in the same database.
 */
final class DashboardServer implements AutoCloseable {

  /** Arguments of the crm workflow's one tool. */
  record UpdateBio(String leadId, String bio) {}

  static final String MODEL = "test:metered";
  static final long INPUT_TOKENS = 1_200;
  static final long OUTPUT_TOKENS = 80;

  /** 1,200 input tokens at $2.50 a million plus 80 output tokens at $10 a million. */
  static final String CALL_COST_USD = "0.0038";

  private static final ObjectMapper JSON = new ObjectMapper();

  final RunQueue queue;
  final InMemoryKillSwitch kills = new InMemoryKillSwitch();
  final TokenStore tokens;
  final Map<String, String> bios = new ConcurrentHashMap<>(Map.of("L1", "original bio"));
  final Map<Role, String> secrets = new EnumMap<>(Role.class);
  final DeploymentEvidence evidence;
  final BridleServer server;
  private final InMemorySpendStore spent = new InMemorySpendStore();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DashboardServer(Path dir) {
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
    evidence = RunStores.deploymentEvidence(queue.store());
    server =
        BridleServer.builder()
            .queue(queue)
            .killSwitch(kills)
            .tokens(tokens)
            .workflow("crm", this::crm)
            .workflow("notes", this::notes)
            .deploymentEvidence(evidence)
            .port(0)
            .nodeId("dashboard-test-node")
            .workerConcurrency(4)
            .pollInterval(Duration.ofMillis(20))
            .leaseTime(Duration.ofSeconds(3))
            .streamPollInterval(Duration.ofMillis(50))
            .build()
            .start();
  }

  /** A model that plays a script and reports a fixed usage under its own id. */
  private record MeteredModel(ChatModel script, String id, Usage usage) implements ChatModel {
    @Override
    public ModelResponse chat(ModelRequest request) {
      return new ModelResponse(script.chat(request).message(), usage, id);
    }
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
    ChatModel model =
        new MeteredModel(
            ScriptedChatModel.builder()
                .name("crm")
                .thenCall("update_bio", Map.of("leadId", "L1", "bio", "{{task}}"))
                .thenAnswer("bio set")
                .build(),
            MODEL,
            new Usage(INPUT_TOKENS, OUTPUT_TOKENS, 0));
    PriceTable prices =
        PriceTable.of(
            List.of(
                ModelPrice.of(
                    MODEL,
                    LocalDate.of(2020, 1, 1),
                    new BigDecimal("2.50"),
                    new BigDecimal("1.25"),
                    new BigDecimal("10"))));
    BudgetLedger budgets =
        BudgetLedger.of(
            Budgets.NONE.withPerWorkflowPerDay(BudgetLimit.usd("1.00").withSoftThreshold(0.005)),
            spent,
            Clock.systemUTC());
    return Agent.builder()
        .name("crm")
        .version("3")
        .model(model)
        .tool(updateBio)
        .policy(
            evidence.effectivePolicy(
                "crm",
                Policy.builder()
                    .version("crm-policy-1")
                    .mode(Mode.PROPOSE)
                    .rule(Rule.allow("*").withId("allow-crm"))
                    .build()))
        .metering(new Metering(prices, null, 1, false).withBudgets(budgets, false))
        .killSwitch(kills)
        .journal(journal)
        .build();
  }

  private Agent notes(RunStore journal) {
    return Agent.builder()
        .name("notes")
        .model(ScriptedChatModel.builder().name("notes").thenAnswer("noted").build())
        .killSwitch(kills)
        .journal(journal)
        .build();
  }

  String secret(Role role) {
    return secrets.get(role);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** Calls the API with the token of {@code role}; the response, whatever its status. */
  HttpResponse<String> call(String method, String path, Role role, String jsonBody) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + secret(role));
    if (jsonBody == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET without credentials (the dashboard's own files). */
  HttpResponse<String> fetch(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url(path))).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Calls the API and parses the answer, which must have {@code status}. */
  JsonNode json(String method, String path, Role role, Object body, int status) {
    try {
      HttpResponse<String> response =
          call(method, path, role, body == null ? null : JSON.writeValueAsString(body));
      if (response.statusCode() != status) {
        throw new AssertionError(
            method
                + " "
                + path
                + ": expected "
                + status
                + ", got "
                + response.statusCode()
                + " "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Submits a run as {@code user} through the API (as the operator); its id. */
  RunId start(String workflow, String task, String user) {
    return RunId.of(
        json(
                "POST",
                "/api/v1/runs",
                Role.OPERATOR,
                Map.of("workflow", workflow, "task", task, "user", user),
                202)
            .get("id")
            .asText());
  }

  RunId start(String workflow, String task) {
    return start(workflow, task, "otto");
  }

  /** The approval a crm run waits on, once it waits. */
  String approvalOf(RunId runId) {
    awaitStatus(runId, RunStatus.SUSPENDED);
    return runId + "/call_1_1";
  }

  /** Approves what a crm run waits on through the API, and waits until it completes. */
  void approveThroughApi(RunId runId) {
    json(
        "POST",
        "/api/v1/approvals/" + approvalOf(runId) + "/decision",
        Role.APPROVER,
        Map.of("decision", "approve"),
        200);
    awaitStatus(runId, RunStatus.COMPLETED);
  }

  RunStatus status(RunId runId) {
    return queue.store().find(runId).orElseThrow().status();
  }

  void awaitStatus(RunId runId, RunStatus status) {
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
                  .map(entry -> EventCodec.encode(entry.event()))
                  .toList(),
          e);
    }
  }

  @Override
  public void close() {
    server.close();
    queue.store().close();
  }
}
