package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.deploy.Agreement;
import dev.bridle.core.deploy.ApprovalStreak;
import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.deploy.Readiness;
import dev.bridle.core.deploy.ReadinessSettings;
import dev.bridle.core.deploy.WorkflowEvidence;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle workflows status [WORKFLOW]}: per workflow, its mode, the evidence (shadow
 * agreement, approvals and the streak, suite results, feedback), each step of the deployment
 * sequence with its checks, the mode the evidence supports and what to do next.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a workflow's (or every workflow's) mode, evidence, readiness for the next mode and"
            + " what is missing.")
final class WorkflowsStatusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Mixin WorkflowsReadinessOptions thresholds;

  @Parameters(
      arity = "0..1",
      paramLabel = "WORKFLOW",
      description =
          "A workflow name, or its file (which also says the mode it declares and its version);"
              + " every workflow with runs when left out.")
  String workflow;

  @Option(
      names = "--version",
      paramLabel = "V",
      description = "The version to assess (default: the file's, else that of the newest run).")
  String version;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    Optional<WorkflowsTarget> target =
        Optional.ofNullable(workflow).map(text -> WorkflowsTarget.resolve(spec, text));
    PrintWriter out = spec.commandLine().getOut();
    try (RunStore opened = store.open()) {
      Deployment deployment = WorkflowsCommand.deployment(opened);
      List<WorkflowsTarget> targets = new ArrayList<>();
      if (target.isPresent()) {
        targets.add(target.get());
      } else {
        deployment.workflows().forEach(name -> targets.add(WorkflowsTarget.named(name)));
      }
      ArrayNode all = Json.MAPPER.createArrayNode();
      if (targets.isEmpty() && !json) {
        out.println("No workflow has runs or a mode change in this store yet.");
      }
      for (WorkflowsTarget one : targets) {
        WorkflowEvidence evidence = deployment.evidence(one.name());
        // the thresholds: an option given, else the workflow file's promotion:, else the defaults
        ReadinessSettings settings = thresholds.settings(spec, one.promotion());
        Readiness readiness =
            Readiness.of(
                evidence, Optional.ofNullable(version).or(one::version), one.declared(), settings);
        if (json) {
          ObjectNode node = EvidenceJson.plain().readiness(readiness, evidence.currentMode());
          node.put("runsRead", evidence.runs().size());
          node.put("truncated", evidence.truncated());
          all.add(node);
        } else {
          print(out, readiness, evidence);
        }
      }
      if (json) {
        out.println(Json.write(target.isPresent() ? all.get(0) : all));
      }
      out.flush();
      return ExitCode.OK;
    } catch (DeploymentException e) {
      return WorkflowsCommand.refused(spec, e);
    }
  }

  private static void print(PrintWriter out, Readiness readiness, WorkflowEvidence evidence) {
    String version = readiness.version().isEmpty() ? "(no runs yet)" : readiness.version();
    out.println(readiness.workflow() + "@" + version + "  mode " + mode(readiness, evidence));
    out.println("  supported by the evidence: " + readiness.supported());
    out.println("  recommendation: " + readiness.recommendation().describe());
    for (Readiness.Step step : readiness.steps()) {
      out.println(
          "  " + step.from() + " → " + step.to() + (step.ready() ? ": ready" : ": not ready"));
      for (Readiness.Check check : step.checks()) {
        out.println("    " + (check.met() ? "ok       " : "missing  ") + check.describe());
      }
    }
    Agreement agreement = readiness.agreement();
    out.println(
        "  agreement: "
            + agreement.total().describe()
            + "  (shadow "
            + agreement.shadow().describe()
            + ", approvals "
            + agreement.approvals().describe()
            + (agreement.shadowRunsAwaitingDecision() == 0
                ? ""
                : "; " + agreement.shadowRunsAwaitingDecision() + " shadow run(s) await a decision")
            + ")");
    ApprovalStreak approvals = readiness.approvals();
    out.println(
        "  approvals: "
            + approvals.approved()
            + " approved, "
            + approvals.edited()
            + " edited, "
            + approvals.rejected()
            + " rejected, "
            + approvals.responded()
            + " responded; streak "
            + approvals.current());
    if (readiness.suites().isEmpty()) {
      out.println("  suites: none recorded for this version (bridle eval records them)");
    }
    for (EvaluationRecord suite : readiness.suites()) {
      out.println(
          "  suite "
              + suite.suite()
              + ": "
              + suite.passed()
              + "/"
              + suite.total()
              + String.format(Locale.ROOT, " (%.1f%%)", suite.passRate() * 100)
              + " at "
              + suite.at()
              + " by "
              + suite.by());
    }
    out.println(
        "  feedback: "
            + (readiness.feedback().count() == 0
                ? "none"
                : String.format(
                    Locale.ROOT,
                    "%.2f mean of %d rating(s)",
                    readiness.feedback().mean().orElseThrow(),
                    readiness.feedback().count())));
    if (evidence.runs().isEmpty() && evidence.currentMode().isEmpty()) {
      out.println(
          "  (no run and no mode change of "
              + readiness.workflow()
              + " is recorded in this store; check the name)");
    }
    if (evidence.truncated()) {
      out.println("  (only the newest " + evidence.runs().size() + " runs were read)");
    }
  }

  private static String mode(Readiness readiness, WorkflowEvidence evidence) {
    if (evidence.currentMode().isPresent()) {
      ModeChange change = evidence.currentMode().get();
      return change.to()
          + " (set by "
          + change.by()
          + " at "
          + change.at()
          + (change.forced() ? ", forced" : "")
          + ": "
          + RunsCommand.oneLine(change.reason(), 80)
          + ")";
    }
    return readiness
        .currentMode()
        .map(m -> m + " (as its workflow file declares)")
        .orElse("unknown (no mode change recorded; name the workflow file to read its mode)");
  }
}
