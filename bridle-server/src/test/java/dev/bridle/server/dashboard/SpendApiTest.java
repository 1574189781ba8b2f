package dev.bridle.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.server.auth.Role;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /spend} and {@code GET /spend/runs} over real runs: two priced crm runs (one for a
 * user whose name is an e-mail address) and one notes run whose model has no price.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpendApiTest {

  private static final BigDecimal RUN_COST =
      new BigDecimal(DashboardServer.CALL_COST_USD).multiply(BigDecimal.TWO);

  private DashboardServer server;
  private RunId otto;
  private RunId jane;
  private RunId note;
  private Instant before;

  @BeforeAll
  void runs(@TempDir Path dir) {
    server = new DashboardServer(dir);
    before = Instant.now().minusSeconds(1);
    otto = server.start("crm", "priced one");
    server.approveThroughApi(otto);
    jane = server.start("crm", "priced two", "jane.doe@example.com");
    server.approveThroughApi(jane);
    note = server.start("notes", "unpriced");
    server.awaitStatus(note, RunStatus.COMPLETED);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode spend(String query) {
    return server.json("GET", "/api/v1/spend" + query, Role.VIEWER, null, 200);
  }

  private static BigDecimal usd(JsonNode node) {
    return node.decimalValue();
  }

  private static JsonNode group(JsonNode groups, String key) {
    for (JsonNode group : groups) {
      if (group.get("key").asText().equals(key)) {
        return group;
      }
    }
    throw new AssertionError("no group " + key + " in " + groups);
  }

  @Test
  void sumsTheModelCallsPerWorkflowUserAndModelWithTheirCost() {
    JsonNode spend = spend("");

    JsonNode total = spend.get("total");
    assertThat(spend.get("runs").asInt()).isEqualTo(3);
    assertThat(total.get("modelCalls").asLong()).isEqualTo(5);
    assertThat(total.get("unpricedCalls").asLong()).isEqualTo(1);
    assertThat(total.get("inputTokens").asLong()).isEqualTo(4 * DashboardServer.INPUT_TOKENS);
    assertThat(total.get("outputTokens").asLong()).isEqualTo(4 * DashboardServer.OUTPUT_TOKENS);
    assertThat(usd(total.get("costUsd"))).isEqualByComparingTo(RUN_COST.multiply(BigDecimal.TWO));
    assertThat(spend.get("bucket").asText()).isEqualTo("day");
    assertThat(spend.get("buckets")).hasSize(8);

    JsonNode crm = group(spend.get("byWorkflow"), "crm");
    assertThat(spend.get("byWorkflow").get(0).get("key").asText())
        .as("the most expensive first")
        .isEqualTo("crm");
    assertThat(crm.get("runs").asInt()).isEqualTo(2);
    assertThat(usd(crm.get("costUsd"))).isEqualByComparingTo(RUN_COST.multiply(BigDecimal.TWO));
    BigDecimal seriesCost = BigDecimal.ZERO;
    long seriesTokens = 0;
    for (int i = 0; i < crm.get("series").get("costUsd").size(); i++) {
      seriesCost = seriesCost.add(usd(crm.get("series").get("costUsd").get(i)));
      seriesTokens += crm.get("series").get("tokens").get(i).asLong();
    }
    assertThat(seriesCost).isEqualByComparingTo(usd(crm.get("costUsd")));
    assertThat(seriesTokens).isEqualTo(crm.get("tokens").asLong());
    assertThat(crm.get("series").get("tokens").get(7).asLong())
        .as("everything was spent today, the last bucket")
        .isEqualTo(seriesTokens);

    JsonNode notes = group(spend.get("byWorkflow"), "notes");
    assertThat(notes.get("unpricedCalls").asLong()).isEqualTo(1);
    assertThat(usd(notes.get("costUsd"))).isEqualByComparingTo(BigDecimal.ZERO);

    assertThat(spend.get("byModel").findValuesAsText("key"))
        .containsExactly(DashboardServer.MODEL, "scripted:notes");
    assertThat(spend.get("byUser").findValuesAsText("key"))
        .as("user names are redacted like everywhere else")
        .containsExactlyInAnyOrder("otto", "[REDACTED:EMAIL]");
    assertThat(usd(group(spend.get("byUser"), "[REDACTED:EMAIL]").get("costUsd")))
        .isEqualByComparingTo(RUN_COST);
  }

  @Test
  void showsTheUseOfTheWorkflowsBudgetsAndTheThresholdsCrossed() {
    JsonNode spend = spend("");

    List<JsonNode> budgets = new ArrayList<>();
    spend.get("budgets").forEach(budgets::add);
    assertThat(budgets).extracting(b -> b.get("workflow").asText()).containsOnly("crm");
    JsonNode day =
        budgets.stream()
            .filter(b -> b.get("scope").asText().equals("workflow"))
            .findFirst()
            .orElseThrow();
    assertThat(day.get("subject").asText()).isEqualTo("crm");
    assertThat(day.get("period").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(usd(day.get("costUsd"))).isPositive();
    assertThat(budgets)
        .filteredOn(b -> b.get("scope").asText().equals("user"))
        .extracting(b -> b.get("subject").asText())
        .containsExactlyInAnyOrder("otto", "[REDACTED:EMAIL]");

    JsonNode alert = spend.get("budgetAlerts").get(0);
    assertThat(spend.get("budgetAlerts")).hasSize(1);
    assertThat(alert.get("workflow").asText()).isEqualTo("crm");
    assertThat(alert.get("hard").asBoolean()).isFalse();
    assertThat(alert.get("runId").asText()).isEqualTo(otto.value());
  }

  @Test
  void aWindowFiltersByTimeWorkflowAndUserInHourlyBuckets() {
    Instant until = Instant.now().plusSeconds(60);
    JsonNode hourly =
        spend("?bucket=hour&since=" + before.minus(2, ChronoUnit.HOURS) + "&until=" + until);
    assertThat(hourly.get("bucket").asText()).isEqualTo("hour");
    assertThat(hourly.get("buckets").size()).isBetween(3, 4);
    assertThat(hourly.get("total").get("modelCalls").asLong()).isEqualTo(5);

    JsonNode crmOnly = spend("?workflow=crm&user=otto");
    assertThat(crmOnly.get("total").get("modelCalls").asLong()).isEqualTo(2);
    assertThat(usd(crmOnly.get("total").get("costUsd"))).isEqualByComparingTo(RUN_COST);

    JsonNode earlier = spend("?until=" + before);
    assertThat(earlier.get("total").get("modelCalls").asLong()).isZero();
    assertThat(earlier.get("byWorkflow")).isEmpty();
  }

  @Test
  void theCostOfGivenRuns() {
    JsonNode runs =
        server.json(
            "GET",
            "/api/v1/spend/runs?ids=" + otto + "," + note + ",run-unknown",
            Role.VIEWER,
            null,
            200);

    assertThat(runs.get("runs").findValuesAsText("id")).containsExactly(otto.value(), note.value());
    JsonNode priced = runs.get("runs").get(0);
    assertThat(usd(priced.get("costUsd"))).isEqualByComparingTo(RUN_COST);
    assertThat(priced.get("modelCalls").asLong()).isEqualTo(2);
    assertThat(priced.get("models").findValuesAsText("")).isEmpty();
    assertThat(priced.get("models").get(0).asText()).isEqualTo(DashboardServer.MODEL);
    assertThat(runs.get("runs").get(1).get("unpricedCalls").asLong()).isEqualTo(1);
    assertThat(runs.get("missing").get(0).asText()).isEqualTo("run-unknown");
  }

  @Test
  void badQueriesAreRefusedNamingTheField() {
    assertThat(
            server
                .json("GET", "/api/v1/spend?bucket=week", Role.VIEWER, null, 400)
                .get("field")
                .asText())
        .isEqualTo("bucket");
    JsonNode backwards =
        server.json(
            "GET",
            "/api/v1/spend?since=2026-11-22T00:00:00Z&until=2026-11-21T00:00:00Z",
            Role.VIEWER,
            null,
            400);
    assertThat(backwards.get("field").asText()).isEqualTo("since");
    assertThat(backwards.get("detail").asText()).contains("before until");
    JsonNode tooMany =
        server.json(
            "GET",
            "/api/v1/spend?bucket=hour&since=2026-01-01T00:00:00Z&until=2026-11-21T00:00:00Z",
            Role.VIEWER,
            null,
            400);
    assertThat(tooMany.get("field").asText()).isEqualTo("bucket");
    assertThat(tooMany.get("detail").asText()).contains("at most 1000 buckets");
    assertThat(
            server
                .json("GET", "/api/v1/spend?since=yesterday", Role.VIEWER, null, 400)
                .get("field")
                .asText())
        .isEqualTo("since");
    assertThat(
            server.json("GET", "/api/v1/spend/runs", Role.VIEWER, null, 400).get("field").asText())
        .isEqualTo("ids");
    assertThat(
            server
                .json("GET", "/api/v1/spend/runs?ids=bad%20id", Role.VIEWER, null, 400)
                .get("field")
                .asText())
        .isEqualTo("ids");
    assertThat(
            server
                .call("GET", "/api/v1/spend", Role.VIEWER, null)
                .headers()
                .firstValue("Content-Security-Policy"))
        .isPresent();
  }
}
