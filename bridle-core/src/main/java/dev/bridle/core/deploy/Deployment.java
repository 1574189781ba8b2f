package dev.bridle.core.deploy;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.policy.Mode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The deployment sequence over one database: record what humans did about shadow runs and how they
 * rate runs, read a workflow's readiness and agreement, compare its versions, and change its mode
 * as an audited operator action. The CLI ({@code bridle shadow}, {@code bridle feedback}, {@code
 * bridle workflows}) and the HTTP API both go through it.
 *
 * <pre>{@code
 * Deployment deployment = new Deployment(store, RunStores.deploymentEvidence(store), Clock.systemUTC());
 * Readiness readiness = deployment.readiness("lead-enrichment", Optional.empty(), Optional.of(Mode.PROPOSE),
 *     ReadinessSettings.DEFAULT);
 * }</pre>
 *
 * <p>Who may do what is the caller's business: the CLI trusts whoever can open the database, the
 * API checks roles (and, for feedback, that the caller requested the run or reviews).
 */
public final class Deployment {

  /** How many of a workflow's newest runs are read by default. */
  public static final int DEFAULT_MAX_RUNS = 10_000;

  private final RunStore runs;
  private final DeploymentEvidence evidence;
  private final Clock clock;
  private final int maxRuns;

  public Deployment(RunStore runs, DeploymentEvidence evidence, Clock clock) {
    this(runs, evidence, clock, DEFAULT_MAX_RUNS);
  }

  private Deployment(RunStore runs, DeploymentEvidence evidence, Clock clock, int maxRuns) {
    this.runs = Objects.requireNonNull(runs, "runs");
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxRuns = DeploymentEvidence.requireLimit(maxRuns);
  }

  /** This deployment reading at most {@code max} of a workflow's newest runs (1 to 10,000). */
  public Deployment withMaxRuns(int max) {
    return new Deployment(runs, evidence, clock, max);
  }

  public DeploymentEvidence evidence() {
    return evidence;
  }

  /**
   * Records what a human did about the task of a shadow run.
   *
   * @throws DeploymentException {@code NOT_FOUND} for an unknown run; {@code WRONG_STATE} for a run
   *     that has not ended or that executed a call with an effect (it was not in shadow mode);
   *     {@code ALREADY_RECORDED} when it has a decision
   */
  public ShadowDecision recordShadowDecision(RunId runId, List<HumanCall> calls, String by) {
    RunSummary run = started(runId);
    if (!run.status().isTerminal()) {
      throw new DeploymentException(
          DeploymentException.Reason.WRONG_STATE,
          "run "
              + runId
              + " is "
              + label(run.status())
              + "; record what the human did once it has ended");
    }
    List<JournalEntry> journal = runs.read(runId);
    RunFacts facts = RunFacts.of(run, journal);
    if (!facts.executed().isEmpty()) {
      RunFacts.Call first = facts.executed().getFirst();
      throw new DeploymentException(
          DeploymentException.Reason.WRONG_STATE,
          "run "
              + runId
              + " executed "
              + first.tool()
              + " ("
              + first.effect()
              + "): it was not in shadow mode, and a shadow decision compares a human's actions"
              + " with a run that executed nothing with an effect");
    }
    ShadowDecision decision =
        new ShadowDecision(
            runId, run.workflow(), run.workflowVersion(), calls, by, clock.instant());
    if (!evidence.recordShadowDecision(decision)) {
      ShadowDecision earlier = evidence.shadowDecision(runId).orElseThrow();
      throw new DeploymentException(
          DeploymentException.Reason.ALREADY_RECORDED,
          "run "
              + runId
              + " has a decision already, recorded by "
              + earlier.by()
              + " at "
              + earlier.at()
              + "; a decision is recorded once");
    }
    return decision;
  }

  /**
   * What {@link #recordFeedback} did.
   *
   * @param replaced whether it replaced the same person's earlier feedback on the run
   */
  public record FeedbackRecorded(Feedback feedback, boolean replaced) {}

  /**
   * Records a rating (1 to 5) and a comment on a run that has started.
   *
   * @param comment {@code ""} or null for none; at most {@value Feedback#MAX_COMMENT_CHARS}
   *     characters
   */
  public FeedbackRecorded recordFeedback(RunId runId, int rating, String comment, String by) {
    Feedback.requireRating(rating);
    RunSummary run = started(runId);
    Feedback feedback =
        new Feedback(
            runId, run.workflow(), run.workflowVersion(), rating, comment, by, clock.instant());
    return new FeedbackRecorded(feedback, evidence.recordFeedback(feedback));
  }

  /** Everything known about {@code workflow}: its newest runs' facts and its stored evidence. */
  public WorkflowEvidence evidence(String workflow) {
    return WorkflowEvidence.gather(runs, evidence, workflow, maxRuns);
  }

  /**
   * The readiness of a version of {@code workflow}.
   *
   * @param version the version; its latest when empty
   * @param declared the mode the workflow file declares, when the caller knows it; the current mode
   *     is the latest mode change's, else this
   */
  public Readiness readiness(
      String workflow,
      Optional<String> version,
      Optional<Mode> declared,
      ReadinessSettings settings) {
    return Readiness.of(evidence(workflow), version, declared, settings);
  }

  /** The agreement of {@code workflow}'s runs, of one version or of all. */
  public Agreement agreement(String workflow, Optional<String> version) {
    WorkflowEvidence gathered = evidence(workflow);
    return version.map(gathered::ofVersion).orElse(gathered).agreement();
  }

  /**
   * Changes the mode of {@code workflow}, assessing the evidence of its newest run's version; see
   * {@link #changeMode(String, List, Mode, Optional, String, String, boolean, ReadinessSettings)}.
   */
  public Optional<ModeChange> changeMode(
      String workflow,
      Mode to,
      Optional<Mode> declared,
      String by,
      String reason,
      boolean force,
      ReadinessSettings settings) {
    return changeMode(workflow, List.of(), to, declared, by, reason, force, settings);
  }

  /**
   * Changes the mode of {@code workflow}: recorded with who, when, why, the mode before and the
   * evidence. {@code versions} are the versions the change will govern (the file's, or every
   * version served with traffic); each is assessed, and AUTONOMOUS needs every one of them to be
   * supported, else {@code force} (recorded as forced). No versions: the newest run's version.
   *
   * @return the change, or empty when the workflow is in {@code to} already
   * @throws DeploymentException NOT_READY for AUTONOMOUS against the evidence without force
   */
  public Optional<ModeChange> changeMode(
      String workflow,
      List<String> versions,
      Mode to,
      Optional<Mode> declared,
      String by,
      String reason,
      boolean force,
      ReadinessSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return changeMode(workflow, versions, to, declared, by, reason, force, version -> settings);
  }

  /**
   * Changes the mode of {@code workflow} as {@link #changeMode(String, List, Mode, Optional,
   * String, String, boolean, ReadinessSettings)} does, assessing each version with its own
   * thresholds: {@code settingsOf} answers the thresholds of a version (its workflow file's {@code
   * promotion:}); it is asked for {@code ""} when the workflow has no evidence yet.
   */
  public Optional<ModeChange> changeMode(
      String workflow,
      List<String> versions,
      Mode to,
      Optional<Mode> declared,
      String by,
      String reason,
      boolean force,
      java.util.function.Function<String, ReadinessSettings> settingsOf) {
    Objects.requireNonNull(to, "to");
    ModeChange.requireReason(reason);
    WorkflowEvidence gathered = evidence(workflow);
    List<Readiness> assessed = new ArrayList<>();
    if (versions.isEmpty()) {
      String newest = gathered.latestVersion().orElse("");
      assessed.add(Readiness.of(gathered, Optional.empty(), declared, settingsOf.apply(newest)));
    } else {
      for (String version : new TreeSet<>(versions)) {
        assessed.add(
            Readiness.of(gathered, Optional.of(version), declared, settingsOf.apply(version)));
      }
    }
    List<Readiness> unsupported =
        assessed.stream().filter(r -> !r.supports(Mode.AUTONOMOUS)).toList();
    boolean againstEvidence = to == Mode.AUTONOMOUS && !unsupported.isEmpty();
    if (againstEvidence && !force) {
      List<String> reasons = new ArrayList<>();
      for (Readiness readiness : unsupported) {
        reasons.add(
            workflow
                + (readiness.version().isEmpty() ? "" : "@" + readiness.version())
                + ": it supports "
                + readiness.supported()
                + "; missing: "
                + String.join("; ", readiness.missingFor(Mode.AUTONOMOUS)));
      }
      throw new DeploymentException(
          DeploymentException.Reason.NOT_READY,
          "the evidence does not support AUTONOMOUS for "
              + String.join(" | ", reasons)
              + ". Change it anyway only with force (recorded as forced)");
    }
    List<String> summaries = assessed.stream().map(Readiness::summary).toList();
    return evidence.changeMode(
        new ModeChange.Request(
            workflow,
            to,
            declared,
            by,
            reason,
            againstEvidence,
            String.join(" | ", summaries),
            clock.instant()));
  }

  /** The given versions of {@code workflow}, side by side, in the order given. */
  public List<VersionSummary> compare(String workflow, List<String> versions) {
    if (versions.isEmpty()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID, "name at least one version to compare");
    }
    WorkflowEvidence gathered = evidence(workflow);
    List<VersionSummary> summaries = new ArrayList<>();
    for (String version : versions) {
      summaries.add(VersionSummary.of(gathered, version));
    }
    return summaries;
  }

  /** The names of the workflows with runs among the newest {@code maxRuns}, or a mode change. */
  public List<String> workflows() {
    TreeSet<String> names = new TreeSet<>();
    for (RunSummary run : runs.list(RunQuery.ALL.withLimit(maxRuns))) {
      if (run.workflow() != null && !run.workflow().isEmpty()) {
        names.add(run.workflow());
      }
    }
    evidence
        .modeChanges(Optional.empty(), DeploymentEvidence.MAX_LIST)
        .forEach(change -> names.add(change.workflow()));
    return List.copyOf(names);
  }

  /** The index row of a run that started, or the refusal that says why not. */
  private RunSummary started(RunId runId) {
    Objects.requireNonNull(runId, "runId");
    RunSummary run =
        runs.find(runId)
            .orElseThrow(
                () ->
                    new DeploymentException(
                        DeploymentException.Reason.NOT_FOUND, "no run " + runId));
    if (run.workflow() == null
        || run.workflow().isEmpty()
        || run.workflowVersion() == null
        || run.workflowVersion().isEmpty()) {
      throw new DeploymentException(
          DeploymentException.Reason.WRONG_STATE,
          "run " + runId + " is " + label(run.status()) + " and has not started yet");
    }
    return run;
  }

  private static String label(RunStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }
}
