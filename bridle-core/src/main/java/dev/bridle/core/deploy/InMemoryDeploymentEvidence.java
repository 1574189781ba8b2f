package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployment evidence in memory, for one process and for tests; the reference for the store
 * contract. Every method holds the store's lock, so each is atomic.
 */
public final class InMemoryDeploymentEvidence implements DeploymentEvidence {

  /** Newest first; ties by run id, descending, as the JDBC store orders them. */
  static final Comparator<ShadowDecision> DECISIONS_NEWEST_FIRST =
      Comparator.comparing(ShadowDecision::at).thenComparing(d -> d.runId().value()).reversed();

  /** Newest first; ties by run id, then by person, descending. */
  static final Comparator<Feedback> FEEDBACK_NEWEST_FIRST =
      Comparator.comparing(Feedback::at)
          .thenComparing(f -> f.runId().value())
          .thenComparing(Feedback::by)
          .reversed();

  private final Map<RunId, ShadowDecision> decisions = new LinkedHashMap<>();
  private final Map<String, Feedback> feedback = new LinkedHashMap<>();
  private final List<EvaluationRecord> evaluations = new ArrayList<>();
  private final List<ModeChange> changes = new ArrayList<>();

  @Override
  public synchronized boolean recordShadowDecision(ShadowDecision decision) {
    Objects.requireNonNull(decision, "decision");
    return decisions.putIfAbsent(decision.runId(), decision) == null;
  }

  @Override
  public synchronized Optional<ShadowDecision> shadowDecision(RunId runId) {
    return Optional.ofNullable(decisions.get(Objects.requireNonNull(runId, "runId")));
  }

  @Override
  public synchronized List<ShadowDecision> shadowDecisions(String workflow, int limit) {
    Texts.workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return decisions.values().stream()
        .filter(d -> d.workflow().equals(workflow))
        .sorted(DECISIONS_NEWEST_FIRST)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized boolean recordFeedback(Feedback given) {
    Objects.requireNonNull(given, "feedback");
    return feedback.put(given.runId().value() + "\u0000" + given.by(), given) != null;
  }

  @Override
  public synchronized List<Feedback> feedback(String workflow, int limit) {
    Texts.workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return feedback.values().stream()
        .filter(f -> f.workflow().equals(workflow))
        .sorted(FEEDBACK_NEWEST_FIRST)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<Feedback> feedbackOn(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    return feedback.values().stream()
        .filter(f -> f.runId().equals(runId))
        .sorted(FEEDBACK_NEWEST_FIRST)
        .toList();
  }

  @Override
  public synchronized void recordEvaluation(EvaluationRecord record) {
    evaluations.add(Objects.requireNonNull(record, "record"));
  }

  @Override
  public synchronized List<EvaluationRecord> evaluations(String workflow, int limit) {
    Texts.workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return evaluations.reversed().stream()
        .filter(e -> e.workflow().equals(workflow))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Optional<ModeChange> changeMode(ModeChange.Request request) {
    Objects.requireNonNull(request, "request");
    Optional<ModeChange> previous = currentMode(request.workflow());
    if (request.changesNothing(previous)) {
      return Optional.empty();
    }
    ModeChange change = request.after(changes.size() + 1L, previous);
    changes.add(change);
    return Optional.of(change);
  }

  @Override
  public synchronized Optional<ModeChange> currentMode(String workflow) {
    Texts.workflow(workflow);
    return changes.reversed().stream().filter(c -> c.workflow().equals(workflow)).findFirst();
  }

  @Override
  public synchronized List<ModeChange> modeChanges(Optional<String> workflow, int limit) {
    Objects.requireNonNull(workflow, "workflow");
    DeploymentEvidence.requireLimit(limit);
    return changes.reversed().stream()
        .filter(c -> workflow.map(w -> w.equals(c.workflow())).orElse(true))
        .limit(limit)
        .toList();
  }

  @Override
  public String toString() {
    return "DeploymentEvidence[in memory]";
  }
}
