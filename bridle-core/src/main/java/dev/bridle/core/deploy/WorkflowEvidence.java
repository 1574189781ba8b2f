package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about one workflow's deployment, gathered from the run journals and the {@link
 * DeploymentEvidence} store: the input of {@link Readiness}, {@link Agreement} and {@link
 * VersionSummary}. Lists are newest first.
 *
 * @param runs the facts of the workflow's newest runs, at most the {@code maxRuns} gathered
 * @param truncated whether older runs may have been left out (the newest {@code maxRuns} were read)
 * @param currentMode the latest mode change: the mode override, if any
 */
public record WorkflowEvidence(
    String workflow,
    List<RunFacts> runs,
    boolean truncated,
    List<ShadowDecision> decisions,
    List<Feedback> feedback,
    List<EvaluationRecord> evaluations,
    Optional<ModeChange> currentMode) {

  /** The largest limit of a {@link RunQuery}. */
  private static final int MAX_RUN_QUERY = 10_000;

  public WorkflowEvidence {
    Texts.workflow(workflow);
    runs = List.copyOf(runs);
    decisions = List.copyOf(decisions);
    feedback = List.copyOf(feedback);
    evaluations = List.copyOf(evaluations);
    Objects.requireNonNull(currentMode, "currentMode");
  }

  /**
   * Reads the evidence of {@code workflow}: the facts of its newest {@code maxRuns} runs from their
   * journals, and what {@code evidence} holds for it.
   *
   * @param maxRuns how many of its newest runs to read (1 to 10,000)
   */
  public static WorkflowEvidence gather(
      RunStore store, DeploymentEvidence evidence, String workflow, int maxRuns) {
    Texts.workflow(workflow);
    DeploymentEvidence.requireLimit(maxRuns);
    // one more than asked, to know whether some were left out
    int asked = Math.min(maxRuns + 1, MAX_RUN_QUERY);
    List<RunSummary> summaries = store.list(RunQuery.ALL.withWorkflow(workflow).withLimit(asked));
    boolean truncated = summaries.size() > maxRuns || summaries.size() == MAX_RUN_QUERY;
    List<RunFacts> runs = new ArrayList<>();
    for (RunSummary summary : summaries.subList(0, Math.min(maxRuns, summaries.size()))) {
      runs.add(RunFacts.of(summary, store.read(summary.runId())));
    }
    return new WorkflowEvidence(
        workflow,
        runs,
        truncated,
        evidence.shadowDecisions(workflow, DeploymentEvidence.MAX_LIST),
        evidence.feedback(workflow, DeploymentEvidence.MAX_LIST),
        evidence.evaluations(workflow, DeploymentEvidence.MAX_LIST),
        evidence.currentMode(workflow));
  }

  /** The versions seen in runs and suite results, newest first. */
  public List<String> versions() {
    LinkedHashSet<String> versions = new LinkedHashSet<>();
    runs.stream().map(RunFacts::version).filter(v -> !v.isEmpty()).forEach(versions::add);
    evaluations.stream().map(EvaluationRecord::version).forEach(versions::add);
    return List.copyOf(versions);
  }

  /**
   * The version now in use: that of the newest run that started, else of the newest suite result;
   * empty when there is neither.
   */
  public Optional<String> latestVersion() {
    return runs.stream()
        .map(RunFacts::version)
        .filter(v -> !v.isEmpty())
        .findFirst()
        .or(() -> evaluations.stream().map(EvaluationRecord::version).findFirst());
  }

  /** Only the evidence of {@code version}: its runs, their decisions and feedback, its suites. */
  public WorkflowEvidence ofVersion(String version) {
    Objects.requireNonNull(version, "version");
    return new WorkflowEvidence(
        workflow,
        runs.stream().filter(r -> r.version().equals(version)).toList(),
        truncated,
        decisions.stream().filter(d -> d.workflowVersion().equals(version)).toList(),
        feedback.stream().filter(f -> f.workflowVersion().equals(version)).toList(),
        evaluations.stream().filter(e -> e.version().equals(version)).toList(),
        currentMode);
  }

  /** The decisions by run. */
  public Map<RunId, ShadowDecision> decisionsByRun() {
    Map<RunId, ShadowDecision> byRun = new LinkedHashMap<>();
    decisions.forEach(d -> byRun.put(d.runId(), d));
    return byRun;
  }

  /** The newest result of each suite, newest first. */
  public List<EvaluationRecord> latestSuites() {
    Map<String, EvaluationRecord> latest = new LinkedHashMap<>();
    evaluations.forEach(e -> latest.putIfAbsent(e.suite(), e));
    return List.copyOf(latest.values());
  }

  /** {@link Agreement#of} over these runs and decisions. */
  public Agreement agreement() {
    return Agreement.of(runs, decisionsByRun());
  }

  /** {@link ApprovalStreak#of} over these runs. */
  public ApprovalStreak approvals() {
    return ApprovalStreak.of(runs);
  }

  /** {@link FeedbackSummary#of} this feedback. */
  public FeedbackSummary feedbackSummary() {
    return FeedbackSummary.of(feedback);
  }
}
