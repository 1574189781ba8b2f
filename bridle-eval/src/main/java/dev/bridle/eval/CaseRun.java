package dev.bridle.eval;

import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.run.RunResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A case's finished run, as a {@link Scorer} sees it.
 *
 * @param evalCase the case
 * @param result how the run ended (after the simulated human's answers and the resumes)
 * @param journal the run's events in order
 * @param calls the run's tool calls, each with what happened to it
 * @param classification the run's class of outcome
 * @param costUsd what its model calls cost; empty when a model without a price used tokens
 */
public record CaseRun(
    EvalCase evalCase,
    RunResult result,
    List<JournalEntry> journal,
    List<ObservedCall> calls,
    RunClassification classification,
    Optional<BigDecimal> costUsd) {

  public CaseRun {
    Objects.requireNonNull(evalCase, "evalCase");
    Objects.requireNonNull(result, "result");
    journal = List.copyOf(journal);
    calls = List.copyOf(calls);
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /** The events alone. */
  public List<RunEvent> events() {
    return journal.stream().map(JournalEntry::event).toList();
  }

  /** The final answer, when the run completed. */
  public Optional<String> answer() {
    return result.answer();
  }

  /**
   * The dollars {@code events}' model calls cost: the sum of the recorded costs, a call without a
   * price counting as zero only when it used no tokens; empty otherwise.
   */
  static Optional<BigDecimal> costOf(List<RunEvent> events) {
    BigDecimal total = BigDecimal.ZERO;
    for (RunEvent event : events) {
      if (event instanceof RunEvent.ModelResponded responded) {
        if (responded.costUsd() != null) {
          total = total.add(responded.costUsd());
        } else if (responded.usage().totalTokens() > 0) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(total);
  }
}
