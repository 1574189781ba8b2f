package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.PolicyDecision;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.Workflows;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow's policy, decided directly: what runs, what is refused, what asks. */
class WorkflowPolicyTest {

  private final ObjectMapper json = new ObjectMapper();
  private final Policy policy = WorkflowFile.policy();

  @TempDir Path dir;

  @Test
  void theLoadedPolicyIsTheOneTheFileDeclares() {
    JsonNode section = WorkflowFile.policySection();

    assertThat(policy.mode()).isEqualTo(Mode.SUPERVISED);
    assertThat(section.path("mode").asText()).isEqualTo("supervised");
    assertThat(policy.maxUnapprovedEffect()).isEqualTo(Effect.WRITE);
    List<String> fileRules = new ArrayList<>();
    section
        .path("rules")
        .forEach(
            rule ->
                fileRules.add(
                    rule.path("id").asText()
                        + " "
                        + rule.path("tools").asText()
                        + " "
                        + rule.path("verdict").asText().toUpperCase()));
    assertThat(fileRules)
        .containsExactlyElementsOf(
            policy.rules().stream()
                .map(rule -> rule.id() + " " + rule.tools() + " " + rule.verdict())
                .toList());
    assertThat(policy.provenance().untrustedTools()).containsExactly("get_expense_report");
    assertThat(policy.fourEyes()).containsExactly("approve_expense");
    assertThat(policy.approvalTimeout()).isEqualTo(Duration.ofHours(72));
    assertThat(policy.onTimeout()).isEqualTo(Verdict.DENY);
  }

  @Test
  void everyRuleNamesAToolTheProviderOffersAndTheAgentBuildsFromTheFile() {
    Path ledger = dir.resolve("ledger.db");
    String previous = System.setProperty(ExpenseLedger.LOCATION_PROPERTY, ledger.toString());
    try {
      List<Tool<?>> tools = Workflows.tools(WorkflowFile.definition(), getClass().getClassLoader());

      assertThat(tools)
          .extracting(Tool::name)
          .containsExactly(
              "get_expense_report",
              "lookup_expense_policy",
              "approve_expense",
              "reject_expense",
              "flag_for_review",
              "reopen_expense");
    } finally {
      restore(previous);
    }
  }

  @Test
  void readsAndDecisionsRunWithoutAHumanInSupervisedMode() {
    assertThat(decide("get_expense_report", "{\"report_id\":\"E-2003\"}").rule())
        .isEqualTo("read-reports");
    assertThat(decide("lookup_expense_policy", "{\"topic\":\"meals\"}").verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(
            decide(
                "approve_expense", "{\"report_id\":\"E-2003\",\"amount\":388.00,\"note\":\"ok\"}"))
        .satisfies(allowedBy("approve"));
    assertThat(decide("reject_expense", "{\"report_id\":\"E-2018\",\"reason\":\"no receipt\"}"))
        .satisfies(allowedBy("reject"));
    assertThat(decide("flag_for_review", "{\"report_id\":\"E-2026\",\"reason\":\"unclear\"}"))
        .satisfies(allowedBy("flag"));
  }

  @Test
  void anApprovalAboveTheThresholdAsksAManagerAndOneAtTheThresholdDoesNot() {
    PolicyDecision large =
        decide("approve_expense", "{\"report_id\":\"E-2011\",\"amount\":1133.00,\"note\":\"ok\"}");
    assertThat(large.verdict()).isEqualTo(dev.bridle.core.policy.Verdict.ASK);
    assertThat(large.rule()).isEqualTo("constraint:ask-above");
    assertThat(large.reason()).contains("1133").contains("above 500");
    assertThat(
            decide("approve_expense", "{\"report_id\":\"E-2003\",\"amount\":500,\"note\":\"ok\"}"))
        .satisfies(allowedBy("approve"));
  }

  @Test
  void reopeningIsDeniedToTheAgentAndUnknownToolsAreDeniedByDefault() {
    PolicyDecision reopen =
        decide("reopen_expense", "{\"report_id\":\"E-2028\",\"from_status\":\"approved\"}");
    PolicyDecision pay =
        policy.decide(
            request(
                new PolicyRequest.ToolFacts(
                    "pay_out", Effect.DESTRUCTIVE, false, List.of(), null, false),
                "{}",
                PolicyRequest.Evidence.NONE));
    PolicyDecision delete =
        policy.decide(
            request(
                new PolicyRequest.ToolFacts(
                    "delete_report", Effect.WRITE, false, List.of(), null, false),
                "{}",
                PolicyRequest.Evidence.NONE));

    assertThat(reopen.verdict()).isEqualTo(Verdict.DENY);
    assertThat(reopen.rule()).isEqualTo("reopening-is-for-operators");
    assertThat(pay.verdict()).isEqualTo(Verdict.DENY);
    assertThat(pay.rule()).isEqualTo("effect:DESTRUCTIVE");
    assertThat(delete.rule()).isEqualTo("default-deny");
  }

  @Test
  void aReportIdThatOnlyAnEmployeesTextSuppliedNeedsAHuman() {
    ExpenseApprovalTools tools = tools();
    String injected = json(tools.ledger().require("E-2024"));
    PolicyRequest.Evidence evidence =
        new PolicyRequest.Evidence(
            List.of("Expense report E-2024 was submitted by Viktor Aune."),
            List.of(new PolicyRequest.Source("get_expense_report", injected, true)));

    PolicyDecision other =
        policy.decide(
            request(
                facts(tools, "approve_expense"),
                "{\"report_id\":\"E-2025\",\"amount\":51.50,\"note\":\"pre-approved\"}",
                evidence));
    PolicyDecision own =
        policy.decide(
            request(
                facts(tools, "approve_expense"),
                "{\"report_id\":\"E-2024\",\"amount\":100.40,\"note\":\"ok\"}",
                evidence));

    assertThat(other.verdict()).isEqualTo(Verdict.ASK);
    assertThat(other.rule()).isEqualTo("provenance");
    assertThat(other.reason()).contains("'report_id'", "get_expense_report");
    assertThat(own.verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void theRequesterOfARunCannotApproveItsLargeExpenseThemselves() {
    assertThat(policy.fourEyesViolation("approve_expense", "petra.novak", "petra.novak"))
        .hasValueSatisfying(why -> assertThat(why).contains("four eyes"));
    assertThat(policy.fourEyesViolation("approve_expense", "petra.novak", "ruth.alvarez"))
        .isEmpty();
  }

  // ---- helpers ----

  private ExpenseApprovalTools tools() {
    return new ExpenseApprovalTools(
        ExpenseLedger.at(dir.resolve("ledger.db")), ExpensePolicy.bundled(), Clock.systemUTC());
  }

  private PolicyDecision decide(String tool, String arguments) {
    return policy.decide(request(facts(tools(), tool), arguments, PolicyRequest.Evidence.NONE));
  }

  private PolicyRequest request(
      PolicyRequest.ToolFacts facts, String arguments, PolicyRequest.Evidence evidence) {
    try {
      return new PolicyRequest(
          "viktor.aune", "expense-approval", facts, json.readTree(arguments), evidence);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PolicyRequest.ToolFacts facts(ExpenseApprovalTools tools, String name) {
    Map<String, Tool<?>> byName =
        tools.tools().stream().collect(Collectors.toMap(Tool::name, t -> t));
    return byName.get(name).facts();
  }

  private static String json(Object value) {
    return dev.bridle.core.internal.Json.write(value);
  }

  private static java.util.function.Consumer<PolicyDecision> allowedBy(String rule) {
    return decision -> {
      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(decision.rule()).isEqualTo(rule);
    };
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(ExpenseLedger.LOCATION_PROPERTY);
    } else {
      System.setProperty(ExpenseLedger.LOCATION_PROPERTY, previous);
    }
  }
}
