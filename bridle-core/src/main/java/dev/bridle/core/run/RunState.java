package dev.bridle.core.run;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.ModelResponded;
import dev.bridle.core.journal.RunEvent.RunCompleted;
import dev.bridle.core.journal.RunEvent.RunFailed;
import dev.bridle.core.journal.RunEvent.RunStarted;
import dev.bridle.core.journal.RunEvent.ToolCallCompleted;
import dev.bridle.core.journal.RunEvent.ToolCallProposed;
import dev.bridle.core.journal.RunEvent.ToolCallRejected;
import dev.bridle.core.journal.RunEvent.ToolCallStarted;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a run, and nothing but a fold over its journal: {@link #replay} rebuilds it from the
 * events, and the loop advances it by applying each event it appends. This is what makes a run
 * resumable: there is no other state to lose.
 *
 * @param lastSeq the sequence number of the last event applied (0 before the first)
 * @param conversation what the model sees next, in order
 * @param steps model calls made so far
 * @param proposals how often each (tool, canonical arguments) pair was proposed
 * @param ended the terminal event, once there is one
 * @param pausedAt when the run last suspended or was killed, while it waits; null while it runs.
 *     Time spent waiting for a human does not count against the deadline: on resume, {@code
 *     startedAt} moves forward by the wait.
 */
public record RunState(
    RunId runId,
    long lastSeq,
    Instant startedAt,
    List<ChatMessage> conversation,
    int steps,
    Usage usage,
    Map<String, Integer> proposals,
    List<ToolCallSummary> toolCalls,
    Optional<RunEvent> ended,
    Instant pausedAt) {

  public RunState {
    conversation = List.copyOf(conversation);
    proposals = Map.copyOf(proposals);
    toolCalls = List.copyOf(toolCalls);
  }

  /** The state before the first event. */
  public static RunState initial(RunId runId) {
    return new RunState(
        runId,
        0,
        Instant.EPOCH,
        List.of(),
        0,
        Usage.ZERO,
        Map.of(),
        List.of(),
        Optional.empty(),
        null);
  }

  /** Rebuilds a run's state from its journal entries. */
  public static RunState replay(RunId runId, List<JournalEntry> entries) {
    RunState state = initial(runId);
    for (JournalEntry entry : entries) {
      state = state.apply(entry.seq(), entry.event());
    }
    return state;
  }

  /** How many times this call has been proposed, including the current proposal. */
  public int proposalCount(String toolName, String canonicalArguments) {
    return proposals.getOrDefault(proposalKey(toolName, canonicalArguments), 0);
  }

  public boolean isEnded() {
    return ended.isPresent();
  }

  /** The state after {@code event}, appended as number {@code seq}. */
  public RunState apply(long seq, RunEvent event) {
    return switch (event) {
      case RunStarted e -> started(seq, e);
      case ModelResponded e -> responded(seq, e);
      case ToolCallProposed e -> proposed(seq, e);
      case ToolCallRejected e ->
          observed(seq, e.callId(), e.toolName(), e.observation(), true, status(e.reason()));
      case ToolCallStarted e -> withStatus(seq, e.callId(), "started");
      case ToolCallCompleted e ->
          observed(
              seq,
              e.callId(),
              e.toolName(),
              e.observation(),
              e.status() != RunEvent.CallStatus.SUCCEEDED,
              status(e.status()));
      case RunEvent.ToolCallInDoubt e -> withStatus(seq, e.callId(), "in_doubt");
      case RunEvent.ToolCallShadowed e ->
          observed(seq, e.callId(), e.toolName(), e.observation(), false, "shadowed");
      case RunEvent.ApprovalRequested e -> withStatus(seq, e.callId(), "awaiting_approval");
      case RunEvent.ApprovalDecided e -> decided(seq, e);
      case RunEvent.PolicyDecided e -> at(seq);
      case RunEvent.GuardTripped e -> guardTripped(seq, e);
      case RunEvent.BudgetThresholdCrossed e -> at(seq);
      case RunEvent.RunKilled e -> paused(seq, e.at());
      case RunEvent.ChangeReverted e -> at(seq);
      case RunEvent.EvaluationScored e -> at(seq);
      case RunEvent.RunCancelled e -> end(seq, e);
      case RunCompleted e -> end(seq, e);
      case RunFailed e -> end(seq, e);
      case RunEvent.RunSubmitted e -> at(seq);
      case RunEvent.RunResumed e -> resumed(seq, e.at());
      case RunEvent.RunSuspended e -> paused(seq, e.at());
    };
  }

  /**
   * The tool calls of the last model response that have not reached a final status (succeeded,
   * failed, timed out, rejected, in doubt), in order, with their status so far ({@code "new"} when
   * not even proposed). After a crash these are what the run must finish before it asks the model
   * again.
   */
  public List<PendingCall> pendingCalls() {
    ChatMessage.Assistant last = lastAssistant();
    if (last == null || isEnded()) {
      return List.of();
    }
    List<PendingCall> pending = new ArrayList<>();
    for (dev.bridle.core.model.ToolCall call : last.toolCalls()) {
      String status = statusOf(call.id());
      if (status.equals("new") || status.equals("proposed") || status.equals("started")) {
        pending.add(new PendingCall(call, status));
      } else if (status.equals("approved")) {
        // run with the arguments the human approved, which may be an edit
        pending.add(
            new PendingCall(
                new dev.bridle.core.model.ToolCall(call.id(), call.name(), argumentsOf(call.id())),
                status));
      }
    }
    return pending;
  }

  /**
   * The call that waits for a human: an approval not decided yet, or a call in doubt. The run may
   * not go on until it is decided.
   */
  public Optional<ToolCallSummary> awaitingDecision() {
    return toolCalls.stream()
        .filter(c -> c.status().equals("awaiting_approval") || c.status().equals("in_doubt"))
        .findFirst();
  }

  /**
   * The final answer the model gave as its last message, when the run stopped before recording its
   * end: on resume the run ends with it instead of asking the model again.
   */
  public Optional<String> recordedAnswer() {
    if (isEnded() || conversation.isEmpty()) {
      return Optional.empty();
    }
    return conversation.getLast() instanceof ChatMessage.Assistant last && !last.hasToolCalls()
        ? Optional.of(last.text())
        : Optional.empty();
  }

  /** Whether a call of the last response is in doubt: the run may not go on without a human. */
  public Optional<ToolCallSummary> callInDoubt() {
    return toolCalls.stream().filter(c -> c.status().equals("in_doubt")).findFirst();
  }

  /** A tool call of the last model response that is not finished yet. */
  public record PendingCall(dev.bridle.core.model.ToolCall call, String status) {}

  private ChatMessage.Assistant lastAssistant() {
    for (int i = conversation.size() - 1; i >= 0; i--) {
      if (conversation.get(i) instanceof ChatMessage.Assistant assistant) {
        return assistant;
      }
    }
    return null;
  }

  /**
   * A reask on the model's answer becomes feedback in the conversation; other trips change nothing.
   */
  private RunState guardTripped(long seq, RunEvent.GuardTripped e) {
    if (e.kind() != dev.bridle.core.guard.GuardTrip.Kind.REASK
        || e.stage() != dev.bridle.core.guard.GuardStage.MODEL_OUTPUT) {
      return at(seq);
    }
    return new RunState(
        runId,
        seq,
        startedAt,
        append(
            conversation,
            new ChatMessage.User(
                "Your answer was not accepted ("
                    + e.guard()
                    + "): "
                    + e.reason()
                    + " Please answer again.")),
        steps,
        usage,
        proposals,
        toolCalls,
        ended,
        pausedAt);
  }

  private RunState paused(long seq, Instant at) {
    return new RunState(
        runId,
        seq,
        startedAt,
        conversation,
        steps,
        usage,
        proposals,
        toolCalls,
        ended,
        pausedAt == null ? at : pausedAt);
  }

  private RunState resumed(long seq, Instant at) {
    Instant start =
        pausedAt == null || at.isBefore(pausedAt)
            ? startedAt
            : startedAt.plus(java.time.Duration.between(pausedAt, at));
    return new RunState(
        runId, seq, start, conversation, steps, usage, proposals, toolCalls, ended, null);
  }

  private String argumentsOf(String callId) {
    for (int i = toolCalls.size() - 1; i >= 0; i--) {
      if (toolCalls.get(i).callId().equals(callId)) {
        return toolCalls.get(i).arguments();
      }
    }
    return "{}";
  }

  private RunState decided(long seq, RunEvent.ApprovalDecided e) {
    String toolName =
        toolCalls.stream()
            .filter(c -> c.callId().equals(e.callId()))
            .map(ToolCallSummary::name)
            .reduce((a, b) -> b)
            .orElse("unknown");
    return switch (e.decision()) {
      case APPROVE, EDIT -> {
        List<ToolCallSummary> updated = new ArrayList<>(toolCalls);
        for (int i = updated.size() - 1; i >= 0; i--) {
          if (updated.get(i).callId().equals(e.callId())) {
            updated.set(
                i,
                new ToolCallSummary(e.callId(), updated.get(i).name(), e.arguments(), "approved"));
            break;
          }
        }
        yield new RunState(
            runId, seq, startedAt, conversation, steps, usage, proposals, updated, ended, pausedAt);
      }
      case REJECT ->
          observed(
              seq,
              e.callId(),
              toolName,
              "A person reviewed this call and rejected it; it was not run."
                  + (e.message() == null || e.message().isBlank()
                      ? ""
                      : " Their message: " + e.message()),
              true,
              "rejected");
      case RESPOND -> observed(seq, e.callId(), toolName, e.message(), false, "responded");
    };
  }

  private String statusOf(String callId) {
    for (int i = toolCalls.size() - 1; i >= 0; i--) {
      if (toolCalls.get(i).callId().equals(callId)) {
        return toolCalls.get(i).status();
      }
    }
    return "new";
  }

  private RunState at(long seq) {
    return new RunState(
        runId, seq, startedAt, conversation, steps, usage, proposals, toolCalls, ended, pausedAt);
  }

  /** The state as JSON for a {@link dev.bridle.core.journal.Snapshot}; only for runs not ended. */
  public String toJson() {
    if (isEnded()) {
      throw new IllegalStateException("run " + runId + " has ended; snapshot it before its end");
    }
    return dev.bridle.core.internal.Json.write(
        new SnapshotForm(
            runId.value(),
            lastSeq,
            startedAt,
            conversation,
            steps,
            usage,
            proposals,
            toolCalls,
            pausedAt));
  }

  /** Reads a state written by {@link #toJson()}. */
  public static RunState fromJson(String json) {
    try {
      SnapshotForm form = dev.bridle.core.internal.Json.MAPPER.readValue(json, SnapshotForm.class);
      return new RunState(
          RunId.of(form.runId()),
          form.lastSeq(),
          form.startedAt(),
          form.conversation(),
          form.steps(),
          form.usage(),
          form.proposals(),
          form.toolCalls(),
          Optional.empty(),
          form.pausedAt());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new dev.bridle.core.BridleException(
          "unreadable run snapshot: " + e.getOriginalMessage(), e);
    }
  }

  private record SnapshotForm(
      String runId,
      long lastSeq,
      Instant startedAt,
      List<ChatMessage> conversation,
      int steps,
      Usage usage,
      Map<String, Integer> proposals,
      List<ToolCallSummary> toolCalls,
      Instant pausedAt) {}

  private RunState started(long seq, RunStarted e) {
    List<ChatMessage> messages = new ArrayList<>(2);
    if (e.instructions() != null && !e.instructions().isBlank()) {
      messages.add(new ChatMessage.System(e.instructions()));
    }
    messages.add(new ChatMessage.User(e.task()));
    return new RunState(
        runId, seq, e.at(), messages, 0, Usage.ZERO, Map.of(), List.of(), Optional.empty(), null);
  }

  private RunState responded(long seq, ModelResponded e) {
    return new RunState(
        runId,
        seq,
        startedAt,
        append(conversation, e.message()),
        e.step(),
        usage.plus(e.usage()),
        proposals,
        toolCalls,
        ended,
        pausedAt);
  }

  private RunState proposed(long seq, ToolCallProposed e) {
    Map<String, Integer> counts = new HashMap<>(proposals);
    counts.merge(proposalKey(e.toolName(), e.arguments()), 1, Integer::sum);
    ToolCallSummary summary =
        new ToolCallSummary(e.callId(), e.toolName(), e.arguments(), "proposed");
    return new RunState(
        runId,
        seq,
        startedAt,
        conversation,
        steps,
        usage,
        counts,
        append(toolCalls, summary),
        ended,
        pausedAt);
  }

  private RunState observed(
      long seq, String callId, String toolName, String observation, boolean error, String status) {
    ChatMessage result = new ChatMessage.ToolResult(callId, toolName, observation, error);
    return new RunState(
            runId,
            seq,
            startedAt,
            append(conversation, result),
            steps,
            usage,
            proposals,
            toolCalls,
            ended,
            pausedAt)
        .withStatus(seq, callId, status);
  }

  private RunState withStatus(long seq, String callId, String status) {
    List<ToolCallSummary> updated = new ArrayList<>(toolCalls);
    for (int i = updated.size() - 1; i >= 0; i--) {
      if (updated.get(i).callId().equals(callId)) {
        updated.set(i, updated.get(i).withStatus(status));
        break;
      }
    }
    return new RunState(
        runId, seq, startedAt, conversation, steps, usage, proposals, updated, ended, pausedAt);
  }

  private RunState end(long seq, RunEvent terminal) {
    return new RunState(
        runId,
        seq,
        startedAt,
        conversation,
        steps,
        usage,
        proposals,
        toolCalls,
        Optional.of(terminal),
        pausedAt);
  }

  private static String status(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String proposalKey(String toolName, String canonicalArguments) {
    return toolName + '\u0000' + canonicalArguments;
  }

  private static <T> List<T> append(List<T> list, T element) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(element);
    return copy;
  }
}
