package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Reverter;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@link Agent} + scripted models + the real tools on a SQLite ledger + the workflow's
 * policy + the approval-threshold guard, with an in-memory journal, the approvals inbox and the
 * reverter.
 */
class ExpenseApprovalWorkflowTest {

  private static final String AGENT = "agent:expense-approval@1";

  @TempDir Path dir;

  private WorkflowDefinition workflow;
  private ExpenseApprovalTools tools;
  private InMemoryRunStore store;

  @BeforeEach
  void loadTheWorkflowAndFreshTools() {
    workflow = WorkflowFile.definition();
    tools =
        new ExpenseApprovalTools(
            ExpenseLedger.at(dir.resolve("ledger.db")), ExpensePolicy.bundled(), Clock.systemUTC());
    store = new InMemoryRunStore();
  }

  @Test
  void theWorkflowFileNamesThisProviderItsLimitsAndACheapModel() {
    assertThat(workflow.name()).isEqualTo("expense-approval");
    assertThat(workflow.tools())
        .extracting(WorkflowDefinition.ToolSource::provider)
        .containsExactly(ExpenseApprovalTools.NAME);
    assertThat(workflow.effectCap()).isEqualTo(Effect.WRITE);
    assertThat(workflow.limits().maxSteps()).isEqualTo(8);
    assertThat(workflow.isCascade()).isTrue();
    assertThat(workflow.models())
        .extracting(ModelSpec::provider, ModelSpec::name)
        .as("the cheap model first")
        .containsExactly(tuple("openai", "gpt-4o-mini"), tuple("openai", "gpt-4o"));
  }

  @Test
  void theScriptNamesToolsThatExistAndTheSmallCleanReport() {
    List<String> toolNames = tools.tools().stream().map(Tool::name).toList();
    List<ScriptTurn.Call> calls =
        workflow.script().stream()
            .flatMap(
                turn -> turn instanceof ScriptTurn.Calls c ? c.calls().stream() : Stream.empty())
            .toList();

    assertThat(calls)
        .extracting(ScriptTurn.Call::tool)
        .containsExactly("get_expense_report", "lookup_expense_policy", "approve_expense")
        .allMatch(toolNames::contains);
    ScriptTurn.Call approval = calls.getLast();
    ExpenseReport report = tools.ledger().require(approval.arguments().get("report_id").asText());
    assertThat(approval.arguments().get("amount").decimalValue())
        .isEqualByComparingTo(report.total());
    assertThat(report.total()).isLessThanOrEqualTo(tools.policy().approvalThreshold());
    assertThat(tools.policy().findings(report)).isEmpty();
  }

  @Test
  void theScriptedRunApprovesASmallCleanReportWithoutAHuman() {
    Agent agent = agent(ScriptedChatModel.of(workflow.name(), workflow.script()));

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2003 was submitted.", "maja.ostrowski");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(result.answer()).hasValueSatisfying(a -> assertThat(a).contains("E-2003"));
    assertThat(decisions(result.runId()))
        .extracting(RunEvent.PolicyDecided::toolName, RunEvent.PolicyDecided::verdict)
        .containsExactly(
            tuple("get_expense_report", Verdict.ALLOW),
            tuple("lookup_expense_policy", Verdict.ALLOW),
            tuple("approve_expense", Verdict.ALLOW));
    assertThat(events(result.runId())).noneMatch(RunEvent.ApprovalRequested.class::isInstance);
    ExpenseReport report = tools.ledger().require("E-2003");
    assertThat(report.status()).isEqualTo(ReportStatus.APPROVED);
    assertThat(report.decision().orElseThrow().by()).isEqualTo(AGENT);
    assertThat(completed(result.runId(), "approve_expense").change().resource())
        .isEqualTo("expenses:report/E-2003");
  }

  @Test
  void theFileAloneBuildsTheAgentThatBridleRunBuildsAndItApprovesTheScriptedReport() {
    Path file = dir.resolve("default-ledger.db");
    String previous = System.setProperty(ExpenseLedger.LOCATION_PROPERTY, file.toString());
    try {
      Agent agent =
          Workflows.agent(
                  workflow,
                  ScriptedChatModel.of(workflow.name(), workflow.script()),
                  getClass().getClassLoader())
              .journal(store)
              .build();

      RunResult result =
          agent.run(RunId.random(), "Expense report E-2003 was submitted.", "maja.ostrowski");

      assertThat(result.completed()).as(result.outcome().message()).isTrue();
      assertThat(ExpenseLedger.at(file).require("E-2003").status())
          .isEqualTo(ReportStatus.APPROVED);
    } finally {
      restoreLocation(previous);
    }
  }

  @Test
  void aLargeReportWaitsForAManagerAndRevertingTheRunReopensIt() {
    Agent agent = agent(approving("E-2011", "1133.00"));

    RunResult suspended =
        agent.run(RunId.random(), "Expense report E-2011 was submitted.", "petra.novak");

    assertThat(suspended.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    assertThat(tools.ledger().require("E-2011").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(events(suspended.runId()))
        .filteredOn(RunEvent.GuardTripped.class::isInstance)
        .map(RunEvent.GuardTripped.class::cast)
        .singleElement()
        .satisfies(
            trip -> {
              assertThat(trip.guard()).isEqualTo("approval-threshold");
              assertThat(trip.kind()).isEqualTo(GuardTrip.Kind.ESCALATE);
              assertThat(trip.toolName()).isEqualTo("approve_expense");
            });
    ApprovalItem item = inbox(agent).pendingFor(suspended.runId()).getFirst();
    assertThat(item.toolName()).isEqualTo("approve_expense");
    assertThat(item.reason())
        .isEqualTo(
            "guard:approval-threshold: approving EUR 1133.00 is above the approval threshold of"
                + " EUR 500.00 (section 2 of the expense policy): a manager decides");
    assertThat(item.preview())
        .startsWith("Approve E-2011 (Petra Novak, Sales, submitted 2026-03-18)")
        .contains("findings: none");
    assertThat(item.fourEyes()).isTrue();

    assertThatThrownBy(
            () ->
                inbox(agent)
                    .decide(item.id(), RunEvent.Decision.APPROVE, null, null, "petra.novak"))
        .isInstanceOfSatisfying(
            ApprovalException.class,
            e -> assertThat(e.reason()).isEqualTo(ApprovalException.Reason.FOUR_EYES));

    inbox(agent).decide(item.id(), RunEvent.Decision.APPROVE, null, null, "ruth.alvarez");
    RunResult result = agent.resume(suspended.runId());

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    ExpenseReport approved = tools.ledger().require("E-2011");
    assertThat(approved.status()).isEqualTo(ReportStatus.APPROVED);
    assertThat(approved.decision().orElseThrow().by()).isEqualTo(AGENT);

    Reverter.Report report =
        new Reverter(store, name -> Optional.of(agent), Clock.systemUTC())
            .revertRun(suspended.runId(), "ruth.alvarez");

    assertThat(report.complete()).as(report.toString()).isTrue();
    assertThat(report.reverted())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.toolName()).isEqualTo("approve_expense");
              assertThat(r.inverseTool()).isEqualTo("reopen_expense");
            });
    assertThat(tools.ledger().require("E-2011").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(tools.ledger().decisionsOf("E-2011"))
        .extracting(ReportDecision::before, ReportDecision::after)
        .containsExactly(
            tuple(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
            tuple(ReportStatus.APPROVED, ReportStatus.SUBMITTED));
  }

  @Test
  void aManagerWhoRejectsTheLargeApprovalLeavesTheReportSubmitted() {
    Agent agent = agent(approving("E-2013", "998.20"));
    RunResult suspended =
        agent.run(RunId.random(), "Expense report E-2013 was submitted.", "lotte.brink");
    String approvalId = ((RunOutcome.Suspended) suspended.outcome()).approvalIds().getFirst();

    inbox(agent)
        .decide(
            approvalId,
            RunEvent.Decision.REJECT,
            null,
            "four nights need the project code",
            "ruth.alvarez");
    RunResult result = agent.resume(suspended.runId());

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(tools.ledger().require("E-2013").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(tools.ledger().decisionsOf("E-2013")).isEmpty();
  }

  @Test
  void aReportWithoutAReceiptIsRejectedAndTheRejectionCanBeReverted() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_expense_report", Map.of("report_id", "E-2018"))
                .thenCall("lookup_expense_policy", Map.of("topic", "receipts"))
                .thenCall(
                    "reject_expense",
                    Map.of(
                        "report_id",
                        "E-2018",
                        "reason",
                        "section 4: the taxi of 42.00 on 15 March has no receipt."))
                .thenAnswer("Rejected E-2018: the taxi has no receipt.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2018 was submitted.", "samir.haddad");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    ExpenseReport rejected = tools.ledger().require("E-2018");
    assertThat(rejected.status()).isEqualTo(ReportStatus.REJECTED);
    assertThat(rejected.decision().orElseThrow().note()).startsWith("section 4:");

    Reverter.Report report =
        new Reverter(store, name -> Optional.of(agent), Clock.systemUTC())
            .revertRun(result.runId(), "ruth.alvarez");

    assertThat(report.complete()).as(report.toString()).isTrue();
    assertThat(tools.ledger().require("E-2018").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void alcoholIsRejectedWithTheSectionThatForbidsIt() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_expense_report", Map.of("report_id", "E-2016"))
                .thenCall("lookup_expense_policy", Map.of("topic", "alcohol"))
                .thenCall(
                    "reject_expense",
                    Map.of(
                        "report_id",
                        "E-2016",
                        "reason",
                        "section 5: the two bottles of wine (item 2, 68.00) are never reimbursed;"
                            + " resubmit the dinner alone."))
                .thenAnswer("Rejected E-2016: alcohol is never reimbursed.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2016 was submitted.", "tobias.renn");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(completed(result.runId(), "get_expense_report").observation())
        .contains("\"section\":5", "is alcohol, never reimbursed");
    assertThat(tools.ledger().require("E-2016").status()).isEqualTo(ReportStatus.REJECTED);
    assertThat(tools.ledger().require("E-2016").decision().orElseThrow().note())
        .contains("section 5", "wine");
  }

  @Test
  void aModelThatApprovesAlcoholAnywayIsRefusedByTheTool() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_expense_report", Map.of("report_id", "E-2017"))
                .thenCall(
                    "approve_expense",
                    Map.of(
                        "report_id",
                        "E-2017",
                        "amount",
                        new BigDecimal("185.50"),
                        "note",
                        "Hotel and dinner."))
                .thenAnswer("Approved.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2017 was submitted.", "ruben.achterberg");

    RunEvent.ToolCallCompleted approval = completed(result.runId(), "approve_expense");
    assertThat(approval.status()).isEqualTo(RunEvent.CallStatus.FAILED);
    assertThat(approval.observation())
        .contains("breaks the written expense policy", "mentions 'beers'");
    assertThat(approval.change()).isNull();
    assertThat(tools.ledger().require("E-2017").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void understatingTheAmountToSlipUnderTheThresholdIsRefused() {
    Agent agent = agent(approving("E-2012", "499.00"));

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2012 was submitted.", "emil.sandberg");

    assertThat(events(result.runId())).noneMatch(RunEvent.GuardTripped.class::isInstance);
    RunEvent.ToolCallCompleted approval = completed(result.runId(), "approve_expense");
    assertThat(approval.status()).isEqualTo(RunEvent.CallStatus.FAILED);
    assertThat(approval.observation())
        .contains("the amount 499 is not the total of report E-2012, which is 1388.40");
    assertThat(tools.ledger().require("E-2012").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void anInjectedReportIdInAnEmployeesTextGoesToAHuman() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_expense_report", Map.of("report_id", "E-2024"))
                .thenCall(
                    "approve_expense",
                    Map.of(
                        "report_id",
                        "E-2025",
                        "amount",
                        new BigDecimal("51.50"),
                        "note",
                        "Pre-approved by the CFO."))
                .thenAnswer("Approved both.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2024 was submitted.", "viktor.aune");

    assertThat(result.outcome()).isInstanceOf(RunOutcome.Suspended.class);
    ApprovalItem item = inbox(agent).pendingFor(result.runId()).getFirst();
    assertThat(item.reason())
        .startsWith("provenance: sensitive argument 'report_id' of approve_expense")
        .contains("get_expense_report");
    assertThat(tools.ledger().require("E-2025").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void theAgentCannotReopenADecidedReport() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall(
                    "reopen_expense", Map.of("report_id", "E-2029", "from_status", "rejected"))
                .thenAnswer("Reopened.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2029 was submitted.", "viktor.aune");

    assertThat(decisions(result.runId()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.DENY);
              assertThat(d.rule()).isEqualTo("reopening-is-for-operators");
            });
    assertThat(tools.ledger().require("E-2029").status()).isEqualTo(ReportStatus.REJECTED);
  }

  @Test
  void anUnclearReportIsFlaggedAndStaysSubmitted() {
    Agent agent =
        agent(
            ScriptedChatModel.builder()
                .thenCall("get_expense_report", Map.of("report_id", "E-2026"))
                .thenCall(
                    "flag_for_review",
                    Map.of(
                        "report_id",
                        "E-2026",
                        "reason",
                        "An escape-room afternoon booked as training: is it team-building?"))
                .thenAnswer("Flagged E-2026 for the finance team.")
                .build());

    RunResult result =
        agent.run(RunId.random(), "Expense report E-2026 was submitted.", "hana.weiss");

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(tools.ledger().flagsOf("E-2026"))
        .singleElement()
        .satisfies(flag -> assertThat(flag.flaggedBy()).isEqualTo(AGENT));
    assertThat(tools.ledger().require("E-2026").status()).isEqualTo(ReportStatus.SUBMITTED);
  }

  @Test
  void theWorkflowFileAloneSendsALargeApprovalToAHuman() {
    // What `bridle run` builds: no Java guard, only the file's ask-above constraint.
    Path file = dir.resolve("default-ledger.db");
    String previous = System.setProperty(ExpenseLedger.LOCATION_PROPERTY, file.toString());
    try {
      Agent fromTheFile =
          Workflows.agent(workflow, approving("E-2011", "1133.00"), getClass().getClassLoader())
              .journal(store)
              .build();

      RunResult result =
          fromTheFile.run(RunId.random(), "Expense report E-2011 was submitted.", "petra.novak");

      assertThat(result.outcome()).isInstanceOf(dev.bridle.core.run.RunOutcome.Suspended.class);
      assertThat(events(result.runId())).anyMatch(RunEvent.ApprovalRequested.class::isInstance);
      assertThat(ExpenseLedger.at(file).require("E-2011").status())
          .isNotEqualTo(ReportStatus.APPROVED);
    } finally {
      restoreLocation(previous);
    }
  }

  // ---- helpers ----

  private static ScriptedChatModel approving(String reportId, String amount) {
    return ScriptedChatModel.builder()
        .thenCall("get_expense_report", Map.of("report_id", reportId))
        .thenCall(
            "approve_expense",
            Map.of(
                "report_id",
                reportId,
                "amount",
                new BigDecimal(amount),
                "note",
                "Within every limit, receipts attached."))
        .thenAnswer("Approved " + reportId + ".")
        .build();
  }

  private Agent agent(ChatModel model) {
    return Agent.builder()
        .name(workflow.name())
        .version(workflow.version())
        .instructions(workflow.instructions())
        .model(model)
        .tools(tools.tools())
        .limits(workflow.limits())
        .policy(workflow.policy())
        .guards(GuardChain.builder().add(ApprovalThresholdGuard.from(tools.policy())).build())
        .journal(store)
        .build();
  }

  private static void restoreLocation(String previous) {
    if (previous == null) {
      System.clearProperty(ExpenseLedger.LOCATION_PROPERTY);
    } else {
      System.setProperty(ExpenseLedger.LOCATION_PROPERTY, previous);
    }
  }

  private Approvals inbox(Agent agent) {
    return new Approvals(store, name -> Optional.of(agent), Clock.systemUTC());
  }

  private List<RunEvent> events(RunId runId) {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }

  private List<RunEvent.PolicyDecided> decisions(RunId runId) {
    return events(runId).stream()
        .filter(RunEvent.PolicyDecided.class::isInstance)
        .map(RunEvent.PolicyDecided.class::cast)
        .toList();
  }

  private RunEvent.ToolCallCompleted completed(RunId runId, String tool) {
    return events(runId).stream()
        .filter(RunEvent.ToolCallCompleted.class::isInstance)
        .map(RunEvent.ToolCallCompleted.class::cast)
        .filter(c -> c.toolName().equals(tool))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no completed call of " + tool));
  }
}
