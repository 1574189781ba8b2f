package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.models.resilience.CascadeChatModel;
import dev.bridle.models.resilience.Escalation;
import dev.bridle.models.resilience.ResponseCheck;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cascade the workflow is meant to run with: a cheap model first, a strong one when the cheap
 * one fails or answers with a call to a tool it was not offered.
 */
class ModelCascadeTest {

  @TempDir Path dir;

  private WorkflowDefinition workflow;
  private ExpenseApprovalTools tools;
  private InMemoryRunStore store;
  private final List<Escalation> escalations = new ArrayList<>();

  @BeforeEach
  void freshLedger() {
    workflow = WorkflowFile.definition();
    tools =
        new ExpenseApprovalTools(
            ExpenseLedger.at(dir.resolve("ledger.db")), ExpensePolicy.bundled(), Clock.systemUTC());
    store = new InMemoryRunStore();
  }

  /** Escalates an answer that calls a tool the request did not offer: a hallucinated tool. */
  static final ResponseCheck ONLY_OFFERED_TOOLS =
      (request, response) -> {
        Set<String> offered =
            request.tools().stream().map(ToolSpec::name).collect(Collectors.toSet());
        return response.message().toolCalls().stream()
            .map(ToolCall::name)
            .filter(name -> !offered.contains(name))
            .findFirst()
            .map(name -> ResponseCheck.Verdict.reject("called a tool it was not offered: " + name))
            .orElse(ResponseCheck.Verdict.accept());
      };

  @Test
  void whenTheCheapModelDoesTheJobTheStrongOneIsNeverAsked() {
    RunResult result =
        run(
            ScriptedChatModel.of("cheap", workflow.script()),
            ScriptedChatModel.of("strong", workflow.script()));

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(servedBy(result.runId())).containsOnly("scripted:cheap").hasSize(4);
    assertThat(escalations).hasSize(4).noneMatch(Escalation::escalated);
    assertThat(tools.ledger().require("E-2003").status()).isEqualTo(ReportStatus.APPROVED);
  }

  @Test
  void aHallucinatedToolIsEscalatedToTheStrongModelForThatStepOnly() {
    ScriptedChatModel cheap =
        ScriptedChatModel.builder()
            .name("cheap")
            .thenCall("approve_all_expenses", Map.of("department", "Engineering"))
            .thenCall("lookup_expense_policy", Map.of("topic", "lodging"))
            .thenCall(
                "approve_expense",
                Map.of(
                    "report_id",
                    "E-2003",
                    "amount",
                    new BigDecimal("388.00"),
                    "note",
                    "In policy."))
            .thenAnswer("Approved E-2003.")
            .build();

    RunResult result = run(cheap, ScriptedChatModel.of("strong", workflow.script()));

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(servedBy(result.runId()))
        .containsExactly("scripted:strong", "scripted:cheap", "scripted:cheap", "scripted:cheap");
    assertThat(escalations.getFirst().attempts())
        .extracting(Escalation.Attempt::outcome)
        .first()
        .isInstanceOfSatisfying(
            Escalation.Outcome.Rejected.class,
            rejected ->
                assertThat(rejected.reason())
                    .isEqualTo("called a tool it was not offered: approve_all_expenses"));
    assertThat(events(result.runId()))
        .noneMatch(
            e -> e instanceof RunEvent.ToolCallProposed p && p.toolName().contains("approve_all"));
  }

  @Test
  void whenTheCheapProviderIsDownEveryStepGoesToTheStrongModel() {
    RunResult result =
        run(
            new ProviderDown("openai:gpt-4o-mini"),
            ScriptedChatModel.of("strong", workflow.script()));

    assertThat(result.completed()).as(result.outcome().message()).isTrue();
    assertThat(servedBy(result.runId())).containsOnly("scripted:strong").hasSize(4);
    assertThat(escalations)
        .allSatisfy(
            escalation ->
                assertThat(escalation.attempts().getFirst().outcome())
                    .isInstanceOf(Escalation.Outcome.Failed.class));
    assertThat(tools.ledger().require("E-2003").status()).isEqualTo(ReportStatus.APPROVED);
  }

  // ---- helpers ----

  private RunResult run(ChatModel cheap, ChatModel strong) {
    CascadeChatModel cascade =
        CascadeChatModel.builder()
            .model(cheap)
            .model(strong)
            .check(ONLY_OFFERED_TOOLS)
            .onEscalation(escalations::add)
            .build();
    Agent agent =
        Agent.builder()
            .name(workflow.name())
            .version(workflow.version())
            .instructions(workflow.instructions())
            .model(cascade)
            .tools(tools.tools())
            .limits(workflow.limits())
            .policy(workflow.policy())
            .guards(GuardChain.builder().add(ApprovalThresholdGuard.from(tools.policy())).build())
            .journal(store)
            .build();
    return agent.run(RunId.random(), "Expense report E-2003 was submitted.", "maja.ostrowski");
  }

  private List<RunEvent> events(RunId runId) {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }

  private List<String> servedBy(RunId runId) {
    return events(runId).stream()
        .filter(RunEvent.ModelResponded.class::isInstance)
        .map(e -> ((RunEvent.ModelResponded) e).modelId())
        .toList();
  }

  /** A provider that is down: every call fails after its own retries. */
  private record ProviderDown(String id) implements ChatModel {
    @Override
    public ModelResponse chat(ModelRequest request) {
      throw new ModelException(
          ModelException.Kind.PROVIDER_ERROR, id + ": 503 Service Unavailable", null);
    }
  }
}
