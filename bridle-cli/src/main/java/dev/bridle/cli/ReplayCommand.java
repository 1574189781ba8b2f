package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Replayer;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle replay RUN_ID --workflow FILE}: re-runs a recorded run against its recorded model
 * responses with the workflow as it is now (policy, guards, tool declarations), executing no side
 * effect (every tool answers with its recorded result) and calling no model, and reports every
 * decision that now differs.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Re-run a recorded run against its recorded model responses with the workflow as it is"
            + " now, executing nothing, and report every decision that now differs.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the replay made the same decisions",
      "1:some decisions differ (listed)",
      "2:usage error, unknown run or invalid workflow file"
    })
final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The recorded run.")
  String runId;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "FILE",
      description = "The workflow file as it is now (its policy, guards and tools).")
  Path workflowFile;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Mixin StoreOptions store;

  @Override
  public Integer call() {
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    RunId id = RunId.of(runId);
    Replayer.Report report;
    try (RunStore opened = store.open()) {
      if (opened.find(id).isEmpty()) {
        throw new ConfigurationException("no run " + id + " in the store");
      }
      Agent agent =
          StoreOptions.agent(workflow, RevertCommand.NO_MODEL, opened, getClass().getClassLoader())
              .journal(opened)
              .build();
      report = new Replayer(opened, Clock.systemUTC()).replay(agent, id);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("runId", report.runId().value());
      root.put("recordedOutcome", report.recordedOutcome());
      root.put("replayedOutcome", report.replayedOutcome());
      root.put("identical", report.identical());
      ArrayNode differences = root.putArray("differences");
      for (Replayer.Difference d : report.differences()) {
        differences
            .addObject()
            .put("where", d.where())
            .put("recorded", d.recorded())
            .put("now", d.now());
      }
      out.println(Json.write(root));
    } else {
      out.println(
          "Replayed "
              + id
              + " with "
              + workflow.name()
              + "@"
              + workflow.version()
              + " (recorded model responses and tool results; nothing was executed)");
      out.println("  recorded: " + report.recordedOutcome());
      out.println("  now:      " + report.replayedOutcome());
      if (report.identical()) {
        out.println("Every decision is the same.");
      } else {
        out.println(report.differences().size() + " difference(s):");
        for (Replayer.Difference d : report.differences()) {
          out.println(
              "  " + d.where() + "\n    recorded: " + d.recorded() + "\n    now:      " + d.now());
        }
      }
    }
    out.flush();
    return report.identical() ? ExitCode.OK : ExitCode.FAILED;
  }
}
