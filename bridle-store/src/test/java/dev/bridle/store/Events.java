package dev.bridle.store;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
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
        started(at(1)),
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
        new RunEvent.RunSuspended(at(7), "approval needed for send_reply (EXTERNAL)"),
        new RunEvent.ToolCallInDoubt(
            at(8),
            "call_2",
            "send_reply",
            "run-1/call_2",
            "started before a crash and never completed; send_reply is not idempotent"),
        new RunEvent.RunResumed(at(9), "node-2"),
        new RunEvent.RunCompleted(
            at(10), "Set priority to high and drafted a reply.", 2, new Usage(3900, 480, 2048)),
        new RunEvent.RunFailed(
            at(11),
            RunEvent.FailureKind.STEP_LIMIT,
            "max-steps 2 reached",
            2,
            new Usage(3900, 480, 2048)));
  }
}
