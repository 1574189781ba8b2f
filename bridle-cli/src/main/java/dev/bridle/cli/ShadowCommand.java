package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.deploy.Agreement;
import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.HumanCall;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle shadow record|agreement}: shadow mode's evidence. A run in SHADOW mode records the
 * calls it would have made and executes none; {@code record} says what the human actually did about
 * the same task, and {@code agreement} compares the two, per workflow and per tool (approval
 * decisions from PROPOSE and SUPERVISED runs count too). See {@code docs/deployment.md}.
 */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description =
        "Shadow mode: record what a human actually did for a shadow run, and show how often the"
            + " agent agreed, per workflow and tool.",
    subcommands = {ShadowCommand.Record.class, ShadowCommand.AgreementCommand.class})
final class ShadowCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: record, agreement");
  }

  @Command(
      name = "record",
      mixinStandardHelpOptions = true,
      description =
          "Record what the human actually did about a shadow run's task: the calls they made, or"
              + " none. Once per run.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:recorded",
        "1:refused by the run's state: it has a decision already, has not ended, or executed"
            + " effects",
        "2:usage error: an unknown run, a decision that is not none or a JSON array of calls"
      })
  static final class Record implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The shadow run.")
    String runId;

    @Option(
        names = "--decision",
        required = true,
        paramLabel = "JSON",
        description =
            "What the human did: none, or a JSON array of calls such as"
                + " '[{\"tool\": \"update_lead_bio\", \"arguments\": {\"lead_id\": \"L-1\","
                + " \"bio\": \"...\"}}]'.")
    String decision;

    @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
    String by;

    @Option(names = "--json", description = "Print the recorded decision as JSON.")
    boolean json;

    @Override
    public Integer call() {
      RunId run = runId(spec, runId);
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore opened = store.open()) {
        List<HumanCall> calls = ShadowDecision.parseCalls(decision);
        ShadowDecision recorded =
            WorkflowsCommand.deployment(opened)
                .recordShadowDecision(run, calls, KillCommand.who(by));
        if (json) {
          out.println(Json.write(EvidenceJson.plain().shadowDecision(recorded)));
        } else {
          out.println(
              "Recorded what "
                  + recorded.by()
                  + " did for shadow run "
                  + run
                  + " of "
                  + recorded.workflow()
                  + "@"
                  + recorded.workflowVersion()
                  + ": "
                  + (recorded.didNothing()
                      ? "nothing"
                      : recorded.calls().size()
                          + " call(s): "
                          + String.join(
                              ", ", recorded.calls().stream().map(HumanCall::tool).toList()))
                  + ". See: bridle shadow agreement --workflow "
                  + recorded.workflow());
        }
        out.flush();
        return ExitCode.OK;
      } catch (DeploymentException e) {
        return WorkflowsCommand.refused(spec, e);
      }
    }
  }

  @Command(
      name = "agreement",
      mixinStandardHelpOptions = true,
      description =
          "How often the agent did what the human did: shadow runs with a recorded decision and"
              + " approval decisions, per workflow and per tool.")
  static final class AgreementCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow.")
    String workflow;

    @Option(
        names = "--version",
        paramLabel = "V",
        description = "Only the runs of this version (default: all versions).")
    String version;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      Optional<String> only =
          Optional.ofNullable(workflow).map(text -> WorkflowsTarget.resolve(spec, text).name());
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore opened = store.open()) {
        Deployment deployment = WorkflowsCommand.deployment(opened);
        List<String> names = only.map(List::of).orElseGet(deployment::workflows);
        ObjectNode all = Json.MAPPER.createObjectNode();
        if (names.isEmpty() && !json) {
          out.println("No workflow has runs in this store yet.");
        }
        for (String name : names) {
          Agreement agreement = deployment.agreement(name, Optional.ofNullable(version));
          if (json) {
            all.set(name, EvidenceJson.plain().agreement(agreement));
          } else {
            print(out, name, version, agreement);
          }
        }
        if (json) {
          out.println(Json.write(all));
        }
        out.flush();
        return ExitCode.OK;
      } catch (DeploymentException e) {
        return WorkflowsCommand.refused(spec, e);
      }
    }

    private static void print(PrintWriter out, String name, String version, Agreement agreement) {
      out.println(
          name
              + (version == null ? " (all versions)" : "@" + version)
              + ": agreement "
              + (agreement.total().compared() == 0
                  ? "not measured yet (nothing compared)"
                  : agreement.total().describe()));
      out.println(
          "  shadow "
              + agreement.shadow().describe()
              + " over "
              + agreement.shadowRunsCompared()
              + " run(s) with a decision; approvals "
              + agreement.approvals().describe());
      if (agreement.shadowRunsAwaitingDecision() > 0) {
        out.println(
            "  "
                + agreement.shadowRunsAwaitingDecision()
                + " shadow run(s) ended without a recorded decision: bridle shadow record RUN_ID"
                + " --decision JSON");
      }
      if (!agreement.byTool().isEmpty()) {
        out.printf("  %-32s %7s %9s %7s%n", "TOOL", "AGREED", "COMPARED", "RATE");
        for (Map.Entry<String, Agreement.Tally> tool : agreement.byTool().entrySet()) {
          out.printf(
              "  %-32s %7d %9d %7s%n",
              tool.getKey(),
              tool.getValue().agreed(),
              tool.getValue().compared(),
              String.format(Locale.ROOT, "%.1f%%", tool.getValue().rate() * 100));
        }
      }
    }
  }

  /** {@code text} as a run id, or a usage error. */
  static RunId runId(CommandLine.Model.CommandSpec spec, String text) {
    try {
      return RunId.of(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "RUN_ID: " + e.getMessage());
    }
  }
}
