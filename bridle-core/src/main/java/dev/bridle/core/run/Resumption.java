package dev.bridle.core.run;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunJournal;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.Snapshot;
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
   * A run is resumed by the workflow that started it, or not at all. Returns the submission when
   * the run was queued and never started.
   */
  static Optional<RunEvent.RunSubmitted> checkWorkflow(
      Agent agent, RunJournal journal, RunId runId) {
    for (JournalEntry entry : journal.readAfter(runId, 0)) {
      String workflow;
      switch (entry.event()) {
        case RunEvent.RunStarted started -> workflow = started.workflow();
        case RunEvent.RunSubmitted submitted -> workflow = submitted.workflow();
        default -> {
          continue;
        }
      }
      if (!workflow.equals(agent.name())) {
        throw new ConfigurationException(
            "run " + runId + " belongs to workflow '" + workflow + "', not '" + agent.name() + "'");
      }
      if (entry.event() instanceof RunEvent.RunSubmitted submitted) {
        return hasStarted(journal, runId) ? Optional.empty() : Optional.of(submitted);
      }
      return Optional.empty();
    }
    throw new ConfigurationException("run " + runId + " has neither started nor been submitted");
  }

  private static boolean hasStarted(RunJournal journal, RunId runId) {
    return journal.readAfter(runId, 0).stream()
        .anyMatch(e -> e.event() instanceof RunEvent.RunStarted);
  }

  /** The outcome an ended run recorded. */
  static RunOutcome recordedOutcome(Agent agent, RunState state) {
    RunEvent terminal = state.ended().orElseThrow();
    if (terminal instanceof RunEvent.RunCompleted completed) {
      return new RunOutcome.Completed(completed.answer());
    }
    RunEvent.RunFailed failed = (RunEvent.RunFailed) terminal;
    return switch (failed.kind()) {
      case ERROR -> new RunOutcome.Failed(failed.reason());
      case STEP_LIMIT -> new RunOutcome.StepLimitReached(failed.steps());
      case DEADLINE -> new RunOutcome.DeadlineExceeded(agent.limits().deadline());
      case LOOP -> loopOutcome(state);
    };
  }

  private static RunOutcome loopOutcome(RunState state) {
    ToolCallSummary last = state.toolCalls().get(state.toolCalls().size() - 1);
    return new RunOutcome.LoopDetected(
        last.name(), last.arguments(), state.proposalCount(last.name(), last.arguments()));
  }

  static RunOutcome waitingFor(ToolCallSummary inDoubt) {
    return new RunOutcome.Suspended(
        "tool call "
            + inDoubt.callId()
            + " ("
            + inDoubt.name()
            + ") is in doubt and waits for a human decision");
  }
}
