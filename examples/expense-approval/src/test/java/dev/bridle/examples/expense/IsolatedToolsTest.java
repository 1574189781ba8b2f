package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import dev.bridle.testkit.ToolInvocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExpenseApprovalTools#isolatedTools}: each evaluation case gets its own ledger, seeded from
 * its fixtures, that shares nothing with another case nor with the provider's own ledger.
 */
class IsolatedToolsTest {

  private static final String AGENT = "agent:expense-approval@1";

  /** One small, clean report of a company that is not in the bundled data. */
  private static final String ONE_REPORT =
      """
      {"reports": [{
        "id": "E-5001", "employee": "Alma Reyes", "employee_user": "alma.reyes",
        "department": "Finance", "purpose": "Audit visit in Ostby", "submitted_on": "2026-04-02",
        "status": "submitted", "decision": null,
        "items": [
          {"line": 1, "date": "2026-03-30", "category": "rail", "description": "Return ticket",
           "merchant": "Nordbahn", "amount": 58.40, "receipt": true},
          {"line": 2, "date": "2026-03-30", "category": "meals", "description": "Lunch",
           "merchant": "Station Deli", "amount": 19.90, "receipt": false}
        ]
      }]}
      """;

  @TempDir Path dir;

  private ExpenseApprovalTools provider;
  private Path productionFile;

  @BeforeEach
  void aProviderWithItsOwnLedger() {
    productionFile = dir.resolve("production/expense-ledger.db");
    provider =
        new ExpenseApprovalTools(
            ExpenseLedger.at(productionFile), ExpensePolicy.bundled(), Clock.systemUTC());
  }

  @Test
  void aWriteInOneIsolatedSetIsSeenNeitherByAnotherNorByTheProvidersLedger() throws Exception {
    ToolInvocations first = isolated("{}", "case-1");
    ToolInvocations second = isolated("{}", "case-2");

    first.call(
        "approve_expense", "{\"report_id\":\"E-2003\",\"amount\":388.00,\"note\":\"Fine.\"}");

    assertThat(status(first, "E-2003")).isEqualTo("approved");
    assertThat(status(second, "E-2003")).isEqualTo("submitted");
    assertThat(productionFile).as("the provider's own ledger is never opened").doesNotExist();
    assertThat(provider.ledger().require("E-2003").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(dir.resolve("case-1").resolve(ExpenseFixtures.LEDGER_FILE)).isRegularFile();
  }

  @Test
  void aDecisionInTheProvidersLedgerIsNotSeenByAnIsolatedSet() throws Exception {
    provider.ledger().decide("E-2001", ReportStatus.REJECTED, "No.", "ruth.alvarez", "k-1", now());

    assertThat(status(isolated("{}", "case"), "E-2001")).isEqualTo("submitted");
  }

  @Test
  void anEmptyObjectMeansTheBundledReports() throws Exception {
    ToolInvocations tools = isolated("{}", "case");

    assertThat(report(tools, "E-2011").at("/report/total").decimalValue())
        .isEqualByComparingTo("1133.00");
    assertThat(status(tools, "E-2028")).isEqualTo("approved");
    assertThat(ExpenseFixtures.from(Json.tree("{}")))
        .isEqualTo(ExpenseFixtures.from(null))
        .extracting(ExpenseFixtures::ledger)
        .isEqualTo(ExpenseFixtures.LedgerCondition.WRITABLE);
  }

  @Test
  void reportsInTheFixturesReplaceTheBundledOnes() throws Exception {
    ToolInvocations tools = isolated(ONE_REPORT, "case");

    JsonNode report = report(tools, "E-5001");
    assertThat(report.at("/report/employee").asText()).isEqualTo("Alma Reyes");
    assertThat(report.at("/report/total").decimalValue()).isEqualByComparingTo("78.30");
    assertThat(report.get("policy_findings")).isEmpty();
    assertThatThrownBy(() -> tools.call("get_expense_report", "{\"report_id\":\"E-2003\"}"))
        .isInstanceOf(UnknownReportException.class)
        .hasMessage("no expense report E-2003 in the ledger; ids are E-5001..E-5001");
    ToolOutput approved =
        (ToolOutput)
            tools.call(
                "approve_expense", "{\"report_id\":\"E-5001\",\"amount\":78.30,\"note\":\"Ok.\"}");
    assertThat(approved.change().resource()).isEqualTo("expenses:report/E-5001");
  }

  @Test
  void anEmptyListIsAnEmptyLedger() {
    ToolInvocations tools = isolated("{\"reports\": []}", "case");

    assertThatThrownBy(() -> tools.call("get_expense_report", "{\"report_id\":\"E-2003\"}"))
        .isInstanceOf(UnknownReportException.class)
        .hasMessageEndingWith("ids are (none: the ledger is empty)");
  }

  @Test
  void aReadOnlyLedgerIsReadButRefusesEveryDecisionAndFlag() throws Exception {
    ToolInvocations tools = isolated("{\"ledger\": \"read-only\"}", "case");

    assertThat(status(tools, "E-2003")).isEqualTo("submitted");
    assertThatThrownBy(
            () ->
                tools.call(
                    "approve_expense",
                    "{\"report_id\":\"E-2003\",\"amount\":388.00,\"note\":\"Fine.\"}"))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("cannot decide report E-2003")
        .hasMessageContaining("readonly");
    assertThatThrownBy(
            () ->
                tools.call(
                    "flag_for_review",
                    "{\"report_id\":\"E-2026\",\"reason\":\"Is an escape room training?\"}"))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("cannot flag report E-2026");
    assertThat(status(tools, "E-2003")).isEqualTo("submitted");
  }

  @Test
  void aBrokenLedgerFailsEveryToolThatTouchesItAndLeavesThePolicyReadable() throws Exception {
    ToolInvocations tools = isolated("{\"ledger\": \"broken\"}", "case");

    assertThatThrownBy(() -> tools.call("get_expense_report", "{\"report_id\":\"E-2003\"}"))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("not a database");
    assertThatThrownBy(
            () ->
                tools.call(
                    "reject_expense", "{\"report_id\":\"E-2016\",\"reason\":\"section 5: wine.\"}"))
        .isInstanceOf(LedgerException.class);
    assertThat((String) tools.call("lookup_expense_policy", "{\"topic\":\"receipts\"}"))
        .contains("## 4. Receipts");
  }

  @Test
  void badFixturesAreRefusedNamingTheField() {
    assertRefused("[]", "fixtures of the expense-approval tools must be a JSON object");
    assertRefused(
        "{\"report\": []}",
        "fixtures.report: unknown field; the expense-approval tools know: ledger, reports");
    assertRefused(
        "{\"reports\": {}}", "fixtures.reports must be an array of reports", "but was object");
    assertRefused("{\"reports\": [42]}", "fixtures.reports[0] must be a report object");
    assertRefused(
        "{\"ledger\": \"flaky\"}",
        "fixtures.ledger must be one of writable, read-only, broken, but was 'flaky'");
    assertRefused("{\"ledger\": true}", "fixtures.ledger must be one of");
    assertRefused(
        "{\"ledger\": \"broken\", \"reports\": []}", "fixtures.reports: a broken ledger holds");
    assertRefused(
        ONE_REPORT.replace("58.40", "58.405"),
        "fixtures.reports[0].items[0]",
        "must have at most two decimals (cents), but was 58.405");
    assertRefused(
        ONE_REPORT.replace("\"purpose\": \"Audit visit in Ostby\", ", ""),
        "fixtures.reports[0].purpose: missing");
    assertRefused(
        ONE_REPORT.replace("\"receipt\": true", "\"receipt\": null"),
        "fixtures.reports[0].items[0].receipt: must not be null");
    assertRefused(
        ONE_REPORT.replace("\"employee\": \"Alma Reyes\"", "\"employee\": null"),
        "fixtures.reports[0]: 'employee' must not be null");
    assertRefused(
        ONE_REPORT.replace("\"merchant\": \"Nordbahn\"", "\"merchant\": \"Nordbahn\", \"vat\": 1"),
        "fixtures.reports[0].items[0].vat");
    assertRefused(ONE_REPORT.replace("E-5001", "X-1"), "fixtures.reports[0]", "'X-1'");
    assertRefused(
        ONE_REPORT.replace("\"status\": \"submitted\"", "\"status\": \"approved\""),
        "fixtures.reports[0]",
        "report E-5001 is approved but has no decision");
    assertRefused(
        ONE_REPORT.replace("}]}", "}, " + firstReport() + "]}"),
        "fixtures.reports[1].id: report E-5001 is given twice (also at fixtures.reports[0])");
  }

  @Test
  void badFixturesCreateNothing() throws Exception {
    assertThatThrownBy(() -> isolated("{\"ledger\": \"flaky\"}", "case"))
        .isInstanceOf(IllegalArgumentException.class);

    try (var files = Files.list(dir.resolve("case"))) {
      assertThat(files).isEmpty();
    }
  }

  // ---- helpers ----

  private ToolInvocations isolated(String fixtures, String caseDirectory) {
    Path work = dir.resolve(caseDirectory);
    try {
      Files.createDirectories(work);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Tool<?>> tools = provider.isolatedTools(Json.tree(fixtures), work);
    assertThat(tools)
        .extracting(Tool::name)
        .containsExactlyElementsOf(provider.tools().stream().map(Tool::name).toList());
    return new ToolInvocations(tools, RunId.of("run-" + caseDirectory), AGENT);
  }

  private void assertRefused(String fixtures, String... messageParts) {
    assertThatThrownBy(() -> provider.isolatedTools(Json.tree(fixtures), dir))
        .as(fixtures)
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
              }
            });
  }

  private static String firstReport() {
    String body = ONE_REPORT.strip();
    return body.substring(body.indexOf('[') + 1, body.lastIndexOf(']'));
  }

  private static JsonNode report(ToolInvocations tools, String id) throws Exception {
    Object result = tools.call("get_expense_report", "{\"report_id\":\"" + id + "\"}");
    return Json.MAPPER.valueToTree(result);
  }

  private static String status(ToolInvocations tools, String id) throws Exception {
    return report(tools, id).at("/report/status").asText();
  }

  private static java.time.Instant now() {
    return java.time.Instant.parse("2026-03-23T09:00:00Z");
  }
}
