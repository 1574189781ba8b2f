package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import dev.bridle.testkit.ToolInvocations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The six tools, called as the run loop calls them, on a real SQLite ledger. */
class ExpenseApprovalToolsTest {

  private static final String AGENT = "agent:expense-approval@1";

  private static final Instant NOW = Instant.parse("2026-03-23T09:00:00Z");

  @TempDir Path dir;

  private ExpenseApprovalTools tools;
  private ToolInvocations invoke;

  @BeforeEach
  void freshLedger() {
    tools =
        new ExpenseApprovalTools(
            ExpenseLedger.at(dir.resolve("ledger.db")),
            ExpensePolicy.bundled(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    invoke = new ToolInvocations(tools.tools(), RunId.of("run-1"), AGENT);
  }

  @Test
  void theProviderOffersSixToolsWithTheirEffects() {
    assertThat(tools.name()).isEqualTo("expense-approval");
    assertThat(tools.tools())
        .extracting(Tool::name, Tool::effect, Tool::reversible)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "get_expense_report", dev.bridle.core.tool.Effect.READ, false),
            org.assertj.core.groups.Tuple.tuple(
                "lookup_expense_policy", dev.bridle.core.tool.Effect.READ, false),
            org.assertj.core.groups.Tuple.tuple(
                "approve_expense", dev.bridle.core.tool.Effect.WRITE, true),
            org.assertj.core.groups.Tuple.tuple(
                "reject_expense", dev.bridle.core.tool.Effect.WRITE, true),
            org.assertj.core.groups.Tuple.tuple(
                "flag_for_review", dev.bridle.core.tool.Effect.PROPOSE, false),
            org.assertj.core.groups.Tuple.tuple(
                "reopen_expense", dev.bridle.core.tool.Effect.WRITE, false));
    assertThat(tools.tools())
        .filteredOn(tool -> tool.effect() != dev.bridle.core.tool.Effect.READ)
        .allSatisfy(
            tool -> {
              assertThat(tool.idempotent()).isTrue();
              assertThat(tool.resourceArgument()).isEqualTo("report_id");
            });
    assertThat(tools.tools())
        .filteredOn(Tool::untrustedResults)
        .extracting(Tool::name)
        .containsExactly("get_expense_report");
  }

  @Test
  void aReportComesWithItsTotalFindingsAndWhetherAManagerMustApprove() throws Exception {
    JsonNode large = json(invoke.call("get_expense_report", "{\"report_id\":\"E-2011\"}"));
    JsonNode alcohol = json(invoke.call("get_expense_report", "{\"report_id\":\"E-2016\"}"));

    assertThat(large.at("/report/total").decimalValue()).isEqualByComparingTo("1133.00");
    assertThat(large.at("/report/items")).hasSize(6);
    assertThat(large.at("/report/items/0/amount").decimalValue()).isEqualByComparingTo("612.40");
    assertThat(large.at("/report/submitted_on").asText()).isEqualTo("2026-03-18");
    assertThat(large.at("/report/status").asText()).isEqualTo("submitted");
    assertThat(large.get("currency").asText()).isEqualTo("EUR");
    assertThat(large.get("policy_findings")).isEmpty();
    assertThat(large.get("manager_approval_needed").asBoolean()).isTrue();
    assertThat(large.get("approval_threshold").decimalValue()).isEqualByComparingTo("500.00");
    assertThat(alcohol.get("manager_approval_needed").asBoolean()).isFalse();
    assertThat(alcohol.at("/policy_findings/0/section").asInt()).isEqualTo(5);
    assertThat(alcohol.at("/policy_findings/0/line").asInt()).isEqualTo(2);
  }

  @Test
  void theWrittenPolicyIsLookedUpByTopic() throws Exception {
    assertThat((String) invoke.call("lookup_expense_policy", "{\"topic\":\"receipts\"}"))
        .contains("## 4. Receipts");
    assertThat((String) invoke.call("lookup_expense_policy", "{}"))
        .isEqualTo(tools.policy().text());
  }

  @Test
  void anApprovalReportsItsChangeAndTheCallThatUndoesIt() throws Exception {
    ToolOutput output =
        (ToolOutput)
            invoke.call(
                "approve_expense",
                "{\"report_id\":\"E-2003\",\"amount\":388.00,\"note\":\"Within policy.\"}");

    assertThat(json(output.result()).get("status").asText()).isEqualTo("approved");
    assertThat(json(output.result()).get("result").asText()).isEqualTo("approved");
    assertThat(output.change().resource()).isEqualTo("expenses:report/E-2003");
    assertThat(output.change().before())
        .isEqualTo(Json.MAPPER.valueToTree(Map.of("status", "submitted")));
    assertThat(output.change().after().get("status").asText()).isEqualTo("approved");
    assertThat(output.change().inverse().toolName()).isEqualTo("reopen_expense");
    assertThat(Json.canonical(output.change().inverse().arguments()))
        .isEqualTo("{\"from_status\":\"approved\",\"report_id\":\"E-2003\"}");
    ExpenseReport report = tools.ledger().require("E-2003");
    assertThat(report.status()).isEqualTo(ReportStatus.APPROVED);
    assertThat(report.decision().orElseThrow().by()).isEqualTo(AGENT);
    assertThat(report.decision().orElseThrow().at()).isEqualTo(NOW);

    invoke.call("reopen_expense", Json.canonical(output.change().inverse().arguments()));

    assertThat(tools.ledger().require("E-2003").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void anApprovalRunAgainUnderTheSameKeyChangesNothing() throws Exception {
    String args = "{\"report_id\":\"E-2003\",\"amount\":388.00,\"note\":\"Within policy.\"}";
    invoke.callAs("call_7", "approve_expense", args);

    ToolOutput again = (ToolOutput) invoke.callAs("call_7", "approve_expense", args);

    assertThat(json(again.result()).get("result").asText()).startsWith("already done");
    assertThat(tools.ledger().decisionsOf("E-2003")).hasSize(1);
  }

  @Test
  void anAmountThatIsNotTheTotalIsRefused() {
    assertThatThrownBy(
            () ->
                invoke.call(
                    "approve_expense",
                    "{\"report_id\":\"E-2011\",\"amount\":400,\"note\":\"Fine.\"}"))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessage(
            "the amount 400 is not the total of report E-2011, which is 1133.00; a report is"
                + " approved as a whole, with its total as get_expense_report shows it");
    assertThat(tools.ledger().require("E-2011").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void aReportThatBreaksTheWrittenPolicyCannotBeApprovedButCanBeRejected() throws Exception {
    assertThatThrownBy(
            () ->
                invoke.call(
                    "approve_expense",
                    "{\"report_id\":\"E-2016\",\"amount\":200.00,\"note\":\"Client dinner.\"}"))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessage(
            "report E-2016 breaks the written expense policy, so it cannot be approved: section 5:"
                + " item 2 (alcohol, EUR 68.00 on 2026-03-12) is alcohol, never reimbursed. Reject"
                + " it with these reasons, or flag it for review if a rule is unclear.");

    ToolOutput rejected =
        (ToolOutput)
            invoke.call(
                "reject_expense",
                "{\"report_id\":\"E-2016\",\"reason\":\"section 5: the wine (item 2) is never"
                    + " reimbursed.\"}");

    assertThat(tools.ledger().require("E-2016").status()).isEqualTo(ReportStatus.REJECTED);
    assertThat(rejected.change().after().get("note").asText()).startsWith("section 5:");
    assertThat(rejected.change().inverse().arguments().get("from_status").asText())
        .isEqualTo("rejected");
  }

  @Test
  void aDecidedReportIsRefusedWithWhoDecidedIt() {
    assertThatThrownBy(
            () ->
                invoke.call(
                    "reject_expense",
                    "{\"report_id\":\"E-2028\",\"reason\":\"section 4: no receipt.\"}"))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("already approved by ruth.alvarez");
  }

  @Test
  void aFlagProposesAReviewAndDecidesNothing() throws Exception {
    ReviewFlag flag =
        (ReviewFlag)
            invoke.call(
                "flag_for_review",
                "{\"report_id\":\"E-2026\",\"reason\":\"An escape room booked as training: is it"
                    + " team-building?\"}");

    assertThat(flag.reportId()).isEqualTo("E-2026");
    assertThat(flag.flaggedBy()).isEqualTo(AGENT);
    assertThat(tools.ledger().require("E-2026").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void theSchemasRefuseBadIdsAmountsAndShortReasons() {
    assertThat(invoke.rejection("get_expense_report", "{\"report_id\":\"2011\"}"))
        .contains("report_id");
    assertThat(
            invoke.rejection(
                "approve_expense", "{\"report_id\":\"E-2011\",\"amount\":0,\"note\":\"x\"}"))
        .contains("amount");
    assertThat(invoke.rejection("reject_expense", "{\"report_id\":\"E-2011\",\"reason\":\"no\"}"))
        .contains("reason");
    assertThat(
            invoke.rejection(
                "reopen_expense", "{\"report_id\":\"E-2011\",\"from_status\":\"submitted\"}"))
        .contains("from_status");
  }

  @Test
  void theApproverSeesTheReportItsTotalAndItsFindings() {
    String clean =
        invoke.preview(
            "approve_expense",
            "{\"report_id\":\"E-2011\",\"amount\":1133.00,\"note\":\"Conference trip, within"
                + " limits.\"}");
    String understated =
        invoke.preview(
            "approve_expense", "{\"report_id\":\"E-2011\",\"amount\":400,\"note\":\"ok\"}");

    assertThat(clean)
        .isEqualTo(
            "Approve E-2011 (Petra Novak, Sales, submitted 2026-03-18)\n"
                + "  total:    EUR 1133.00 in 6 items, every receipt needed is attached\n"
                + "  findings: none\n"
                + "  note:     \"Conference trip, within limits.\"");
    assertThat(understated).contains("WARNING:  the call says EUR 400.00; it will be refused");
    assertThat(
            invoke.preview(
                "reject_expense",
                "{\"report_id\":\"E-2018\",\"reason\":\"section 4: the taxi has no receipt.\"}"))
        .isEqualTo(
            "Reject E-2018 (Samir Haddad, Field Service, submitted 2026-03-18)\n"
                + "  total:    EUR 56.00\n"
                + "  reason:   \"section 4: the taxi has no receipt.\"");
  }

  private static JsonNode json(Object result) {
    return Json.MAPPER.valueToTree(result);
  }
}
