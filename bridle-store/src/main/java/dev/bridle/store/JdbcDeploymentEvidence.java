package dev.bridle.store;

import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.journal.RunId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link DeploymentEvidence} over a {@link JdbcRunStore}'s connections: each write one transaction
 * through the store's writer (on SQLite its single writer connection), reads from its read pool.
 * The tables are those of {@code V7__deployment_evidence.sql}. A shadow decision and feedback name
 * their run but hold no foreign key to it: pruning a run leaves its evidence (it is history).
 */
final class JdbcDeploymentEvidence implements DeploymentEvidence {

  private final JdbcRunStore store;
  private final DeploymentEvidenceRows rows;

  JdbcDeploymentEvidence(JdbcRunStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.rows = new DeploymentEvidenceRows(store.dialect());
  }

  @Override
  public boolean recordShadowDecision(ShadowDecision decision) {
    Objects.requireNonNull(decision, "decision");
    return store.write(
        "recording the shadow decision for run " + decision.runId(),
        c -> rows.insertDecision(c, decision));
  }

  @Override
  public Optional<ShadowDecision> shadowDecision(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    return store.read("reading the shadow decision for run " + runId, c -> rows.decision(c, runId));
  }

  @Override
  public List<ShadowDecision> shadowDecisions(String workflow, int limit) {
    String name = workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return store.read(
        "reading the shadow decisions of workflow " + name, c -> rows.decisions(c, name, limit));
  }

  @Override
  public boolean recordFeedback(Feedback feedback) {
    Objects.requireNonNull(feedback, "feedback");
    return store.write(
        "recording feedback on run " + feedback.runId() + " by " + feedback.by(),
        c -> rows.upsertFeedback(c, feedback));
  }

  @Override
  public List<Feedback> feedback(String workflow, int limit) {
    String name = workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return store.read(
        "reading the feedback on workflow " + name, c -> rows.feedback(c, name, null, limit));
  }

  @Override
  public List<Feedback> feedbackOn(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    return store.read(
        "reading the feedback on run " + runId,
        c -> rows.feedback(c, null, runId, DeploymentEvidence.MAX_LIST));
  }

  @Override
  public void recordEvaluation(EvaluationRecord record) {
    Objects.requireNonNull(record, "record");
    store.write(
        "recording suite " + record.suite() + " of " + record.workflow() + "@" + record.version(),
        c -> {
          rows.insertEvaluation(c, record);
          return null;
        });
  }

  @Override
  public List<EvaluationRecord> evaluations(String workflow, int limit) {
    String name = workflow(workflow);
    DeploymentEvidence.requireLimit(limit);
    return store.read(
        "reading the suite results of workflow " + name, c -> rows.evaluations(c, name, limit));
  }

  @Override
  public Optional<ModeChange> changeMode(ModeChange.Request request) {
    Objects.requireNonNull(request, "request");
    String name = StoredText.indexed(request.workflow());
    return store.write(
        "changing the mode of workflow " + name + " to " + request.to() + " for " + request.by(),
        c -> {
          rows.lockModeChanges(c);
          Optional<ModeChange> previous = rows.changes(c, name, 1).stream().findFirst();
          if (request.changesNothing(previous)) {
            return Optional.empty();
          }
          long seq = rows.insertChange(c, request, previous);
          return Optional.of(request.after(seq, previous));
        });
  }

  @Override
  public Optional<ModeChange> currentMode(String workflow) {
    String name = workflow(workflow);
    return store.read(
        "reading the mode of workflow " + name, c -> rows.changes(c, name, 1).stream().findFirst());
  }

  @Override
  public List<ModeChange> modeChanges(Optional<String> workflow, int limit) {
    Objects.requireNonNull(workflow, "workflow");
    String name = workflow.map(JdbcDeploymentEvidence::workflow).orElse(null);
    DeploymentEvidence.requireLimit(limit);
    return store.read(
        "reading the mode changes" + (name == null ? "" : " of workflow " + name),
        c -> rows.changes(c, name, limit));
  }

  @Override
  public String toString() {
    return "DeploymentEvidence[" + store.location() + "]";
  }

  /** The workflow name checked as core checks it, as the tables hold it. */
  private static String workflow(String workflow) {
    return StoredText.indexed(DeploymentEvidence.requireWorkflow(workflow));
  }
}
