package dev.bridle.cli;

import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.policy.Mode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle workflows set-mode WORKFLOW MODE --reason TEXT [--force]}: the audited operator
 * action that moves a workflow along the deployment sequence (or back). Recorded with who, when,
 * why, from and to; every agent built for the workflow afterwards, by any command or node on the
 * database, runs in the new mode. AUTONOMOUS against the evidence needs {@code --force}, and is
 * recorded as forced.
 */
@Command(
    name = "set-mode",
    mixinStandardHelpOptions = true,
    description =
        "Change a workflow's mode (shadow, propose, supervised, autonomous), recorded with who,"
            + " when, why, from and to. Agents built afterwards run in it.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:changed",
      "1:not changed: it was in that mode already, or AUTONOMOUS without the evidence or --force",
      "2:usage error"
    })
final class WorkflowsSetModeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Mixin WorkflowsReadinessOptions thresholds;

  @Parameters(
      index = "0",
      paramLabel = "WORKFLOW",
      description =
          "A workflow name, or its file (whose declared mode is then the mode before the first"
              + " change).")
  String workflow;

  @Parameters(
      index = "1",
      paramLabel = "MODE",
      description = "shadow, propose, supervised or autonomous.")
  Mode mode;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why (a ticket, the evidence, who asked); recorded.")
  String reason;

  @Option(
      names = "--force",
      description =
          "Change to AUTONOMOUS although the evidence does not support it; recorded as forced.")
  boolean force;

  @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
  String by;

  @Option(names = "--json", description = "Print the recorded change as JSON.")
  boolean json;

  @Override
  public Integer call() {
    WorkflowsTarget target = WorkflowsTarget.resolve(spec, workflow);
    PrintWriter out = spec.commandLine().getOut();
    try (RunStore opened = store.open()) {
      Deployment deployment = WorkflowsCommand.deployment(opened);
      Optional<ModeChange> change =
          deployment.changeMode(
              target.name(),
              // a file: its version is the one the change governs; a bare name: the newest run's
              target.version().map(List::of).orElse(List.of()),
              mode,
              target.declared(),
              KillCommand.who(by),
              reason,
              force,
              thresholds.settings(spec, target.promotion()));
      if (change.isEmpty()) {
        out.println("Workflow " + target.name() + " is in " + mode + " already; nothing changed.");
        out.flush();
        return ExitCode.FAILED;
      }
      ModeChange done = change.get();
      if (json) {
        out.println(Json.write(EvidenceJson.plain().modeChange(done)));
      } else {
        out.println(
            "Changed the mode of workflow "
                + done.workflow()
                + ": "
                + done.describe()
                + " (change #"
                + done.seq()
                + " by "
                + done.by()
                + " at "
                + done.at()
                + ")"
                + (done.forced() ? ", FORCED against the evidence" : ""));
        out.println("  evidence: " + done.evidence());
        out.println(
            "  Agents built for "
                + done.workflow()
                + " from now on run in "
                + done.to()
                + "; a waiting approval asked under the old mode is decided afresh. See: bridle"
                + " workflows history "
                + done.workflow());
        if (opened.list(RunQuery.ALL.withWorkflow(done.workflow()).withLimit(1)).isEmpty()) {
          out.println(
              "  Note: no run of "
                  + done.workflow()
                  + " is recorded in this store yet; check that the name is right.");
        }
      }
      out.flush();
      return ExitCode.OK;
    } catch (DeploymentException e) {
      return WorkflowsCommand.refused(spec, e);
    }
  }
}
