package dev.bridle.cli;

import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bridle workflows status|set-mode|compare|history}: the deployment sequence (shadow →
 * propose → supervised → autonomous) of the workflows in the store's database: their evidence and
 * readiness, the audited operator action that changes a mode, versions side by side, and the log of
 * mode changes. See {@code docs/deployment.md}.
 */
@Command(
    name = "workflows",
    mixinStandardHelpOptions = true,
    description =
        "The deployment sequence: readiness and evidence per workflow, change a workflow's mode"
            + " (audited), compare versions, the log of mode changes.",
    subcommands = {
      WorkflowsStatusCommand.class,
      WorkflowsSetModeCommand.class,
      WorkflowsCompareCommand.class,
      WorkflowsHistoryCommand.class
    })
final class WorkflowsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: status, set-mode, compare, history");
  }

  /** The deployment over {@code store}'s database, timed by the system clock. */
  static Deployment deployment(RunStore store) {
    return new Deployment(store, RunStores.deploymentEvidence(store), Clock.systemUTC());
  }

  /**
   * Prints a refusal on stderr; its exit code: 2 when the command can be fixed (wrong input, an
   * unknown run), 1 when the state refuses it (recorded already, not ready, the run still going).
   */
  static int refused(CommandLine.Model.CommandSpec spec, DeploymentException e) {
    spec.commandLine().getErr().println("bridle: " + e.getMessage());
    spec.commandLine().getErr().flush();
    return switch (e.reason()) {
      case INVALID, NOT_FOUND -> ExitCode.USAGE;
      case WRONG_STATE, ALREADY_RECORDED, NOT_READY -> ExitCode.FAILED;
    };
  }
}
