package dev.bridle.core.run;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.journal.Snapshot;
import java.util.List;
import java.util.Optional;

/** Rebuilding a run's state for resumption: the latest snapshot plus the events after it. */
final class Resumption {

  private Resumption() {}

  static RunState load(RunJournal journal, RunId runId) {
    Optional<Snapshot> snapshot =
        journal instanceof RunStore store ? store.latestSnapshot(runId) : Optional.empty();
    RunState state =
        snapshot.map(s -> RunState.fromJson(s.stateJson())).orElse(RunState.initial(runId));
    for (JournalEntry entry : journal.readAfter(runId, state.lastSeq())) {
      state = state.apply(entry.seq(), entry.event());
    }
    if (state.lastSeq() == 0) {
      throw new ConfigurationException("no run " + runId + " in the journal");
    }
    return state;
  }

  /**
   * A run is resumed by the workflow that started it, at the version it started with, or not at
   * all: a run never switches versions half-way (docs/rollout.md). Returns the submission when the
   * run was queued and never started. With a store, the run index answers without reading the
   * journal; only a queued run (one event) is read.
   */
  static Optional<RunEvent.RunSubmitted> checkWorkflow(
      Agent agent, RunJournal journal, RunId runId) {
    if (journal instanceof RunStore store) {
      Optional<RunSummary> summary = store.find(runId);
      if (summary.isPresent()) {
        requireWorkflow(agent, runId, summary.get().workflow());
        requireVersion(agent, runId, summary.get().workflowVersion());
        // QUEUED with one event: submitted and never started. A run that started and was
        // queued again (a decision made it claimable) has more events and is resumed instead.
        return summary.get().status() == RunStatus.QUEUED && summary.get().lastSeq() == 1
            ? firstEvent(journal, runId)
                .filter(RunEvent.RunSubmitted.class::isInstance)
                .map(RunEvent.RunSubmitted.class::cast)
            : Optional.empty();
      }
    }
    boolean started = false;
    Optional<RunEvent.RunSubmitted> submitted = Optional.empty();
    for (JournalEntry entry : journal.readAfter(runId, 0)) {
      switch (entry.event()) {
        case RunEvent.RunStarted e -> {
          requireWorkflow(agent, runId, e.workflow());
          requireVersion(agent, runId, e.workflowVersion());
          started = true;
        }
        case RunEvent.RunSubmitted e -> {
          requireWorkflow(agent, runId, e.workflow());
          submitted = Optional.of(e);
        }
        default -> {}
      }
    }
    if (!started && submitted.isEmpty()) {
      throw new ConfigurationException("run " + runId + " has neither started nor been submitted");
    }
    return started ? Optional.empty() : submitted;
  }

  /** {@code version} is what the run started with; empty or null when it has not started. */
  private static void requireVersion(Agent agent, RunId runId, String version) {
    if (version != null && !version.isEmpty() && !version.equals(agent.version())) {
      throw new ConfigurationException(
          "run "
              + runId
              + " started on version "
              + version
              + " of workflow '"
              + agent.name()
              + "', not on version "
              + agent.version()
              + ": a run keeps the version it started with; resume it with version "
              + version
              + "'s definition (docs/rollout.md)");
    }
  }

  private static void requireWorkflow(Agent agent, RunId runId, String workflow) {
    if (!workflow.equals(agent.name())) {
      throw new ConfigurationException(
          "run " + runId + " belongs to workflow '" + workflow + "', not '" + agent.name() + "'");
    }
  }

  private static Optional<RunEvent> firstEvent(RunJournal journal, RunId runId) {
    List<JournalEntry> entries = journal.readAfter(runId, 0);
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0).event());
  }

  /** Whether the run's last event is of {@code type} (reads one event). */
  static boolean lastEventIs(RunJournal journal, RunState state, Class<? extends RunEvent> type) {
    List<JournalEntry> last = journal.readAfter(state.runId(), state.lastSeq() - 1);
    return !last.isEmpty() && type.isInstance(last.getLast().event());
  }

  /**
   * The last {@code ToolCallStarted} of a call: whether the tool was declared idempotent then (a
   * later version of the workflow may say otherwise), and the arguments it ran with (after the
   * argument guards, which may have redacted the model's). Reads the journal: only on the rare path
   * of a call interrupted mid-flight.
   */
  static Optional<RunEvent.ToolCallStarted> started(
      RunJournal journal, RunState state, String callId) {
    RunEvent.ToolCallStarted last = null;
    for (JournalEntry entry : journal.readAfter(state.runId(), 0)) {
      if (entry.event() instanceof RunEvent.ToolCallStarted started
          && started.callId().equals(callId)) {
        last = started;
      }
    }
    return Optional.ofNullable(last);
  }

  /** The outcome an ended run recorded. */
  static RunOutcome recordedOutcome(Agent agent, RunState state) {
    RunEvent terminal = state.ended().orElseThrow();
    if (terminal instanceof RunEvent.RunCompleted completed) {
      return new RunOutcome.Completed(completed.answer());
    }
    if (terminal instanceof RunEvent.RunCancelled cancelled) {
      return new RunOutcome.Cancelled(cancelled.by(), cancelled.reason());
    }
    RunEvent.RunFailed failed = (RunEvent.RunFailed) terminal;
    return switch (failed.kind()) {
      case ERROR -> new RunOutcome.Failed(failed.reason());
      case STEP_LIMIT -> new RunOutcome.StepLimitReached(failed.steps());
      case DEADLINE -> new RunOutcome.DeadlineExceeded(agent.limits().deadline());
      case LOOP -> loopOutcome(state);
      case GUARD -> new RunOutcome.Blocked(guardOf(failed.reason()), reasonOf(failed.reason()));
      case ESCALATED ->
          new RunOutcome.Escalated(guardOf(failed.reason()), reasonOf(failed.reason()));
      case BUDGET -> new RunOutcome.BudgetExhausted(failed.reason());
    };
  }

  /** How many times the output guards asked the model to answer again, as journaled. */
  static int reasks(RunJournal journal, RunId runId) {
    int count = 0;
    for (JournalEntry entry : journal.readAfter(runId, 0)) {
      if (entry.event() instanceof RunEvent.GuardTripped trip
          && trip.kind() == dev.bridle.core.guard.GuardTrip.Kind.REASK) {
        count++;
      }
    }
    return count;
  }

  /** Guard outcomes are journaled as {@code "<guard>: <reason>"}. */
  static String guardReason(String guard, String reason) {
    return guard + ": " + reason;
  }

  private static String guardOf(String journaled) {
    int colon = journaled.indexOf(": ");
    return colon < 0 ? "" : journaled.substring(0, colon);
  }

  private static String reasonOf(String journaled) {
    int colon = journaled.indexOf(": ");
    return colon < 0 ? journaled : journaled.substring(colon + 2);
  }

  private static RunOutcome loopOutcome(RunState state) {
    ToolCallSummary last = state.toolCalls().get(state.toolCalls().size() - 1);
    return new RunOutcome.LoopDetected(
        last.name(), last.arguments(), state.proposalCount(last.name(), last.arguments()));
  }

  static RunOutcome waitingFor(RunId runId, ToolCallSummary waiting) {
    String what =
        waiting.status().equals("in_doubt")
            ? " is in doubt and waits for a human decision"
            : " waits for approval";
    return new RunOutcome.Suspended(
        "tool call " + waiting.callId() + " (" + waiting.name() + ")" + what,
        List.of(runId.value() + "/" + waiting.callId()));
  }

  /** Who the run acts for, from its index row or its first event. */
  static String user(RunJournal journal, RunId runId) {
    if (journal instanceof RunStore store) {
      Optional<RunSummary> summary = store.find(runId);
      if (summary.isPresent() && !summary.get().user().isEmpty()) {
        return summary.get().user();
      }
    }
    return firstEvent(journal, runId)
        .map(
            e ->
                switch (e) {
                  case RunEvent.RunStarted s -> s.user();
                  case RunEvent.RunSubmitted s -> s.user();
                  default -> "local";
                })
        .orElse("local");
  }

  /**
   * The policy version of the last decision that approved {@code callId}, or empty text when none
   * (reads the journal: only when running an approved call).
   */
  static String approvalPolicyVersion(RunJournal journal, RunState state, String callId) {
    String version = "";
    for (JournalEntry entry : journal.readAfter(state.runId(), 0)) {
      if (entry.event() instanceof RunEvent.ApprovalDecided decided
          && decided.callId().equals(callId)) {
        version = decided.policyVersion();
      }
    }
    return version;
  }
}
