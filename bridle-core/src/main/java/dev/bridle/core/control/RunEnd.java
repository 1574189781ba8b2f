package dev.bridle.core.control;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where a run's journal says it ended. The end is not always the journal's last event: events are
 * appended after it ({@code EvaluationScored} from continuous evaluation, {@code ChangeReverted}
 * from a revert), so it is looked for, from the last event back.
 */
final class RunEnd {

  private RunEnd() {}

  /**
   * The event that ended the run: {@code RunCompleted}, {@code RunFailed} or {@code RunCancelled},
   * the events {@link dev.bridle.core.run.RunState} ends a run on; empty while it has not ended.
   */
  static Optional<RunEvent> of(List<JournalEntry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      RunEvent event = entries.get(i).event();
      if (RunEvent.endsRun(event)) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }
}
