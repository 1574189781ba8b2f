package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.policy.Policy;
import java.util.List;
import java.util.Optional;

/**
 * Where the deployment evidence that is not in the run journals is kept: what humans did about
 * shadow runs, feedback on runs, evaluation suite results, and the log of mode changes. Approvals,
 * shadowed calls, outcomes and cost are read from the journals ({@link RunFacts}).
 *
 * <p>Implementations: {@link InMemoryDeploymentEvidence}, and JDBC (SQLite, PostgreSQL) in {@code
 * bridle-store} ({@code RunStores.deploymentEvidence(store)}), which every node of a database
 * shares. Each method is atomic. Lists are newest first.
 */
public interface DeploymentEvidence {

  /** The most entries a list returns at once. */
  int MAX_LIST = 10_000;

  /** The longest workflow, person or suite name kept. */
  int MAX_NAME_CHARS = 200;

  /**
   * Records what a human did about a shadow run, once per run.
   *
   * @return false, changing nothing, when the run has a decision already
   */
  boolean recordShadowDecision(ShadowDecision decision);

  /** The decision recorded for {@code runId}. */
  Optional<ShadowDecision> shadowDecision(RunId runId);

  /** The decisions for {@code workflow}'s runs, newest first, at most {@code limit}. */
  List<ShadowDecision> shadowDecisions(String workflow, int limit);

  /**
   * Records feedback on a run; one per run and person.
   *
   * @return true when it replaced that person's earlier feedback on the run
   */
  boolean recordFeedback(Feedback feedback);

  /** The feedback on {@code workflow}'s runs, newest first, at most {@code limit}. */
  List<Feedback> feedback(String workflow, int limit);

  /** The feedback on one run, newest first. */
  List<Feedback> feedbackOn(RunId runId);

  /** Records a suite result (as {@code bridle eval} does after a run of a suite). */
  void recordEvaluation(EvaluationRecord record);

  /** The suite results of {@code workflow}, newest first, at most {@code limit}. */
  List<EvaluationRecord> evaluations(String workflow, int limit);

  /**
   * Records a mode change, its {@code from} being the previous change's mode (or the request's
   * declared mode), atomically with reading it.
   *
   * @return the change; empty, recording nothing, when the workflow is in that mode already
   */
  Optional<ModeChange> changeMode(ModeChange.Request request);

  /** The latest mode change of {@code workflow}: its mode override. */
  Optional<ModeChange> currentMode(String workflow);

  /**
   * Mode changes, newest first.
   *
   * @param workflow only this workflow's, when present
   */
  List<ModeChange> modeChanges(Optional<String> workflow, int limit);

  /**
   * The policy an agent of {@code workflow} runs under: {@code declared} (the workflow file's), in
   * the mode of the latest mode change when there is one ({@link Policy#withMode}).
   */
  default Policy effectivePolicy(String workflow, Policy declared) {
    return currentMode(workflow).map(change -> declared.withMode(change.to())).orElse(declared);
  }

  /**
   * {@code workflow} if it is a name the stores keep (not blank, at most {@value #MAX_NAME_CHARS}
   * characters), else an {@code INVALID} refusal that says what is wrong.
   */
  static String requireWorkflow(String workflow) {
    return Texts.workflow(workflow);
  }

  /** {@code limit} if it is 1 to {@value #MAX_LIST}, else an {@code INVALID} refusal. */
  static int requireLimit(int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "limit must be between 1 and " + MAX_LIST + ", but was " + limit);
    }
    return limit;
  }
}
