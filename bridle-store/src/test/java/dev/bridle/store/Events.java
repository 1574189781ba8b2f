package dev.bridle.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Change;
import dev.bridle.core.tool.Effect;
import java.time.Instant;
import java.util.List;

/** Events with realistic field values, for the store tests. */
final class Events {

  static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456789Z");

  private Events() {}

  /** {@link #T0} plus {@code seconds}: every time keeps its nanoseconds. */
  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  static RunEvent.RunStarted started(Instant at, String workflow, String user, String task) {
    return new RunEvent.RunStarted(
        at,
        workflow,
        "3",
        "agent:" + workflow + "@3",
        user,
        "You triage support tickets. Never promise refunds.",
        task,
        "openai:gpt-4.1-mini");
  }

  static RunEvent.RunStarted started(Instant at) {
    return started(at, "support-triage", "dana", "Triage ticket T-1042");
  }

  static RunEvent.ModelResponded responded(Instant at, int step, Usage usage) {
    return new RunEvent.ModelResponded(
        at,
        step,
        "openai:gpt-4.1-mini",
        new ChatMessage.Assistant(
            "Let me look at the ticket first.",
            List.of(new ToolCall("call_" + step, "get_ticket", "{\"ticketId\":\"T-1042\"}"))),
        usage,
        840);
  }

  /** One event of every type, with real values, in a plausible order. */
  static List<RunEvent> everyType() {
    return List.of(
        new RunEvent.RunSubmitted(at(0), "support-triage", "dana", "Triage ticket T-1042"),
        withDefinitionHash(started(at(1))),
        responded(at(2), 1, new Usage(1843, 212, 1024)),
        new RunEvent.ToolCallProposed(
            at(3), 1, "call_1", "get_ticket", "{\"ticketId\":\"T-1042\"}"),
        new RunEvent.ToolCallRejected(
            at(4),
            "call_0",
            "delete_everything",
            RunEvent.Rejection.UNKNOWN_TOOL,
            "unknown tool 'delete_everything'; available: get_ticket, set_priority, send_reply"),
        new RunEvent.ToolCallStarted(
            at(5),
            "call_1",
            "get_ticket",
            Effect.READ,
            true,
            "run-1/call_1",
            "{\"ticketId\":\"T-1042\"}"),
        new RunEvent.ToolCallCompleted(
            at(6),
            "call_1",
            "get_ticket",
            RunEvent.CallStatus.SUCCEEDED,
            "{\"id\":\"T-1042\",\"subject\":\"Invoice charged twice\",\"priority\":\"normal\"}",
            37),
        new RunEvent.PolicyDecided(
            at(7),
            "call_2",
            "send_reply",
            Verdict.ASK,
            "effect:EXTERNAL",
            "send_reply reaches a customer",
            "policy-3"),
        approvalRequested(at(8)),
        new RunEvent.RunSuspended(at(9), "approval needed for send_reply (EXTERNAL)"),
        approvalDecided(at(10)),
        new RunEvent.ToolCallInDoubt(
            at(11),
            "call_2",
            "send_reply",
            "run-1/call_2",
            "started before a crash and never completed; send_reply is not idempotent"),
        new RunEvent.RunResumed(at(12), "node-2"),
        new RunEvent.ToolCallShadowed(
            at(13),
            "call_3",
            "refund",
            Effect.DESTRUCTIVE,
            "{\"amount\":40}",
            "shadow mode: refund was recorded, not executed"),
        completedWithChange(at(14), "call_4"),
        reverted(at(15), "call_4"),
        killed(at(16)),
        new RunEvent.GuardTripped(
            at(16),
            "pii",
            dev.bridle.core.guard.GuardStage.TOOL_RESULT,
            dev.bridle.core.guard.GuardTrip.Kind.REDACT,
            "redacted 1 EMAIL",
            "lookup",
            "call_4"),
        new RunEvent.BudgetThresholdCrossed(at(16), false, "80% of the run's 10000 tokens"),
        new RunEvent.RunCancelled(
            at(17), "ops:lee", "refunds are handled by hand today", 2, new Usage(3900, 480, 2048)),
        new RunEvent.RunCompleted(
            at(18), "Set priority to high and drafted a reply.", 2, new Usage(3900, 480, 2048)),
        new RunEvent.RunFailed(
            at(19),
            RunEvent.FailureKind.STEP_LIMIT,
            "max-steps 2 reached",
            2,
            new Usage(3900, 480, 2048)),
        new RunEvent.EvaluationScored(
            at(20),
            "10%",
            false,
            List.of(
                new RunEvent.EvaluationCheck("outcome", true, "completed: completed"),
                new RunEvent.EvaluationCheck(
                    "output", false, "the answer does not contain 'refund'"))));
  }

  /** {@code started} as runs record it since definition hashes (RunStarted version 2). */
  static RunEvent.RunStarted withDefinitionHash(RunEvent.RunStarted started) {
    return new RunEvent.RunStarted(
        started.at(),
        started.workflow(),
        started.workflowVersion(),
        started.agent(),
        started.user(),
        started.instructions(),
        started.task(),
        started.modelId(),
        "sha256:" + "5c1f".repeat(16));
  }

  static RunEvent.ApprovalRequested approvalRequested(Instant at) {
    return new RunEvent.ApprovalRequested(
        at,
        "run-1/call_2",
        "call_2",
        "send_reply",
        Effect.EXTERNAL,
        "{\"ticketId\":\"T-1042\",\"body\":\"We refunded the second charge.\"}",
        "sha256:5d41402abc4b2a76b9719d911017c592",
        "policy-3",
        "effect:EXTERNAL: send_reply reaches a customer",
        "dana",
        "To: customer of T-1042\nWe refunded the second charge.",
        at.plusSeconds(3600),
        RunEvent.Decision.REJECT,
        true);
  }

  static RunEvent.ApprovalDecided approvalDecided(Instant at) {
    return new RunEvent.ApprovalDecided(
        at,
        "run-1/call_2",
        "call_2",
        RunEvent.Decision.APPROVE,
        "{\"ticketId\":\"T-1042\",\"body\":\"We refunded the second charge.\"}",
        "sha256:5d41402abc4b2a76b9719d911017c592",
        "policy-3",
        "lee",
        "");
  }

  static RunEvent.RunKilled killed(Instant at) {
    return new RunEvent.RunKilled(
        at,
        "the kill switch of workflow support-triage is on (by ops:lee: INC-2291)",
        1,
        new Usage(1843, 212, 1024));
  }

  /** A call that set a ticket's priority, with the change it made and the call that undoes it. */
  static RunEvent.ToolCallCompleted completedWithChange(Instant at, String callId) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode undo = json.objectNode().put("ticketId", "T-1042").put("priority", "normal");
    return new RunEvent.ToolCallCompleted(
        at,
        callId,
        "set_priority",
        RunEvent.CallStatus.SUCCEEDED,
        "{\"ok\":true}",
        21,
        new Change(
            "helpdesk:ticket/T-1042",
            json.objectNode().put("priority", "normal"),
            json.objectNode().put("priority", "high").put("escalations", 1),
            new Change.InverseCall("set_priority", undo)));
  }

  static RunEvent.ChangeReverted reverted(Instant at, String callId) {
    return new RunEvent.ChangeReverted(
        at,
        callId,
        "set_priority",
        "set_priority",
        "{\"ticketId\":\"T-1042\",\"priority\":\"normal\"}",
        RunEvent.CallStatus.SUCCEEDED,
        "{\"ok\":true}",
        "ops:lee");
  }
}
