package dev.bridle.core.run;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.Usage;
import java.util.List;
import java.util.Optional;

/**
 * The end of a run: its outcome, how many model calls it made, every tool call it proposed in
 * order, and the tokens it used. The full story is in the run's journal.
 */
public record RunResult(
    RunId runId, RunOutcome outcome, int steps, List<ToolCallSummary> toolCalls, Usage usage) {

  public RunResult {
    toolCalls = List.copyOf(toolCalls);
  }

  public boolean completed() {
    return outcome instanceof RunOutcome.Completed;
  }

  /** The final answer, if the run completed. */
  public Optional<String> answer() {
    return outcome instanceof RunOutcome.Completed c ? Optional.of(c.answer()) : Optional.empty();
  }
}
