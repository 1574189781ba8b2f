package dev.bridle.core.run;

import dev.bridle.core.BridleException;
import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The flight recorder's replay (DESIGN §1): re-runs a recorded run against its recorded model
 * responses with today's agent (policy, guards, tools' declarations), executing no side effect:
 * every tool answers with the result it gave in the recording. Reports every decision that now
 * differs: a call policy now decides otherwise, a guard that now trips or no longer does, a call
 * that now needs a human, a different outcome.
 *
 * <p>Human decisions are replayed too: where the recording has an approval decision for a call, the
 * replay makes the same one; where the replay asks and the recording has none, it stops there and
 * reports it.
 */
public final class Replayer {

  private final RunJournal recorded;
  private final Clock clock;

  public Replayer(RunJournal recorded, Clock clock) {
    this.recorded = Objects.requireNonNull(recorded, "recorded");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One difference between the recording and the replay. */
  public record Difference(String where, String recorded, String now) {}

  /**
   * What a replay found.
   *
   * @param recordedOutcome how the recorded run ended (or where it stands)
   * @param replayedOutcome how the replay ended
   */
  public record Report(
      RunId runId, String recordedOutcome, String replayedOutcome, List<Difference> differences) {
    public Report {
      differences = List.copyOf(differences);
    }

    public boolean identical() {
      return differences.isEmpty();
    }
  }

  /**
   * Replays run {@code runId} with {@code agent}'s current configuration (its model and journal are
   * replaced; its tools answer from the recording).
   */
  public Report replay(Agent agent, RunId runId) {
    List<JournalEntry> entries = recorded.read(runId);
    RunEvent.RunStarted started =
        entries.stream()
            .map(JournalEntry::event)
            .filter(RunEvent.RunStarted.class::isInstance)
            .map(RunEvent.RunStarted.class::cast)
            .findFirst()
            .orElseThrow(() -> new BridleException("run " + runId + " has not started"));
    if (!started.workflow().equals(agent.name())) {
      throw new BridleException(
          "run "
              + runId
              + " belongs to workflow '"
              + started.workflow()
              + "', not '"
              + agent.name()
              + "'");
    }
    Recording recording = Recording.of(entries);
    InMemoryRunStore sandbox = new InMemoryRunStore();
    Agent replaying =
        agent.toBuilder()
            .model(recording.model())
            .replaceTools(recording.stubs(agent.tools().tools()))
            .journal(sandbox)
            .killSwitch(KillSwitch.NONE)
            .notifier(n -> {})
            .rateLimits(RateLimits.NONE)
            .clock(clock)
            .build();
    RunId replayId = RunId.of("replay-" + Math.abs(runId.value().hashCode()));
    RunResult result = replaying.run(replayId, started.task(), started.user());
    Approvals approvals = new Approvals(sandbox, name -> Optional.of(replaying), clock);
    List<Difference> differences = new ArrayList<>();
    while (result.outcome() instanceof RunOutcome.Suspended) {
      List<ApprovalItem> pending = approvals.pendingFor(replayId);
      if (pending.isEmpty()) {
        break;
      }
      ApprovalItem item = pending.getFirst();
      RunEvent.ApprovalDecided decision = recording.decisions.get(item.callId());
      if (decision == null) {
        differences.add(
            new Difference(
                "call " + item.callId() + " (" + item.toolName() + ")",
                "ran without a human",
                "waits for a human: " + item.reason()));
        break;
      }
      try {
        approvals.decide(
            item.id(),
            decision.decision(),
            decision.decision() == RunEvent.Decision.EDIT ? decision.arguments() : null,
            decision.message(),
            decision.approver());
      } catch (ApprovalException e) {
        differences.add(
            new Difference(
                "call " + item.callId() + " (" + item.toolName() + ")",
                "decided " + decision.decision() + " by " + decision.approver(),
                "the same decision is refused now: " + e.getMessage()));
        break;
      }
      result = replaying.resume(replayId);
    }
    differences.addAll(compare(recording, sandbox.read(replayId)));
    String recordedOutcome = recording.outcome();
    String replayedOutcome = outcome(sandbox.read(replayId));
    if (!recordedOutcome.equals(replayedOutcome)) {
      differences.add(new Difference("outcome", recordedOutcome, replayedOutcome));
    }
    return new Report(runId, recordedOutcome, replayedOutcome, differences);
  }

  /** Where a journal ended, in words that do not depend on the run id. */
  static String outcome(List<JournalEntry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      switch (entries.get(i).event()) {
        case RunEvent.RunCompleted e -> {
          return "completed: " + e.answer();
        }
        case RunEvent.RunFailed e -> {
          return "failed ("
              + e.kind().name().toLowerCase(java.util.Locale.ROOT)
              + "): "
              + e.reason();
        }
        case RunEvent.RunSuspended e -> {
          return "suspended";
        }
        case RunEvent.RunKilled e -> {
          return "killed";
        }
        case RunEvent.RunCancelled e -> {
          return "cancelled";
        }
        default -> {}
      }
    }
    return "not ended";
  }

  /** Policy decisions, rejections and guard trips per call, recorded against replayed. */
  private static List<Difference> compare(Recording recording, List<JournalEntry> replayed) {
    Map<String, String> now = decisionsByCall(replayed);
    List<Difference> differences = new ArrayList<>();
    for (Map.Entry<String, String> e : recording.decisionsByCall.entrySet()) {
      String replayedDecision = now.getOrDefault(e.getKey(), "not reached");
      if (!replayedDecision.equals(e.getValue())) {
        differences.add(new Difference(e.getKey(), e.getValue(), replayedDecision));
      }
    }
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (!recording.decisionsByCall.containsKey(e.getKey())) {
        differences.add(new Difference(e.getKey(), "not in the recording", e.getValue()));
      }
    }
    return differences;
  }

  /** "call c1 (tool)" → "policy ALLOW by rules[0]; guard pii REDACT; completed" etc. */
  private static Map<String, String> decisionsByCall(List<JournalEntry> entries) {
    Map<String, List<String>> parts = new LinkedHashMap<>();
    Map<String, String> names = new HashMap<>();
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case RunEvent.ToolCallProposed e -> names.put(e.callId(), e.toolName());
        case RunEvent.PolicyDecided e ->
            parts
                .computeIfAbsent(e.callId(), k -> new ArrayList<>())
                .add("policy " + e.verdict() + " (" + e.rule() + ")");
        case RunEvent.ToolCallRejected e ->
            parts.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add("rejected " + e.reason());
        case RunEvent.GuardTripped e when e.callId() != null ->
            parts
                .computeIfAbsent(e.callId(), k -> new ArrayList<>())
                .add("guard " + e.guard() + " " + e.kind());
        case RunEvent.ToolCallShadowed e ->
            parts.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add("shadowed");
        default -> {}
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    parts.forEach(
        (callId, list) ->
            out.put(
                "call " + callId + " (" + names.getOrDefault(callId, "?") + ")",
                String.join("; ", list)));
    return out;
  }

  /**
   * What the recording holds: model responses in order, tool results, human decisions, the calls
   * that tools' preconditions refused.
   */
  private record Recording(
      List<ChatMessage.Assistant> responses,
      Map<String, String> results,
      Map<String, RunEvent.ApprovalDecided> decisions,
      Map<String, RunEvent.ToolCallRejected> refusals,
      Map<String, String> decisionsByCall,
      List<JournalEntry> entries) {

    static Recording of(List<JournalEntry> entries) {
      List<ChatMessage.Assistant> responses = new ArrayList<>();
      Map<String, String> results = new HashMap<>();
      Map<String, RunEvent.ApprovalDecided> decisions = new HashMap<>();
      Map<String, RunEvent.ToolCallRejected> refusals = new HashMap<>();
      for (JournalEntry entry : entries) {
        switch (entry.event()) {
          case RunEvent.ModelResponded e -> responses.add(e.message());
          case RunEvent.ToolCallCompleted e -> results.put(e.callId(), e.observation());
          case RunEvent.ApprovalDecided e -> decisions.put(e.callId(), e);
          case RunEvent.ToolCallRejected e
              when e.reason() == RunEvent.Rejection.PRECONDITION_FAILED
                  || e.reason() == RunEvent.Rejection.PRECONDITION_ERROR ->
              refusals.put(e.callId(), e);
          default -> {}
        }
      }
      return new Recording(
          responses, results, decisions, refusals, Replayer.decisionsByCall(entries), entries);
    }

    /** Answers with the recorded responses in order; asks beyond them are a difference. */
    ChatModel model() {
      return new ChatModel() {
        @Override
        public ModelResponse chat(ModelRequest request) {
          int turn = 0;
          for (ChatMessage m : request.messages()) {
            if (m instanceof ChatMessage.Assistant) {
              turn++;
            }
          }
          if (turn >= responses.size()) {
            throw new ModelException(
                ModelException.Kind.MALFORMED_RESPONSE,
                "replay: the recording has "
                    + responses.size()
                    + " model responses and the replay asked for another",
                null);
          }
          return new ModelResponse(
              responses.get(turn), dev.bridle.core.model.Usage.ZERO, "replay:recorded");
        }

        @Override
        public String id() {
          return "replay:recorded";
        }
      };
    }

    /** The agent's tools, answering from the recording and touching nothing. */
    List<Tool<?>> stubs(List<Tool<?>> tools) {
      List<Tool<?>> stubs = new ArrayList<>(tools.size());
      for (Tool<?> tool : tools) {
        stubs.add(stub(tool));
      }
      return stubs;
    }

    private <A> Tool<A> stub(Tool<A> tool) {
      ToolHandler<A> answer =
          (arguments, context) ->
              results.getOrDefault(
                  context.callId(),
                  "[replay: " + tool.name() + " did not run in the recorded run; no result]");
      if (tool.precondition().isEmpty()) {
        return tool.withHandler(answer);
      }
      // The precondition read the real system: the replay gives its recorded verdict instead.
      Tool.Precondition<A> recorded =
          (arguments, context) -> {
            RunEvent.ToolCallRejected refused = refusals.get(context.callId());
            if (refused == null) {
              return Optional.empty();
            }
            if (refused.reason() == RunEvent.Rejection.PRECONDITION_ERROR) {
              throw new IllegalStateException("replay: the recorded check failed");
            }
            return Optional.of(refused.observation());
          };
      return tool.withHandler(answer).withPrecondition(recorded);
    }

    String outcome() {
      return Replayer.outcome(entries);
    }
  }
}
