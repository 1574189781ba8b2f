package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Reverter;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle revert RUN_ID --workflow FILE} and {@code bridle revert --workflow FILE --since T}:
 * runs the inverse calls reversible tools recorded, newest change first, each journaled on the run
 * that made the change; a change reverted already is skipped, so reverting twice reverts once.
 * Reports what could not be reverted (an external effect, a tool without an inverse) and why.
 */
@Command(
    name = "revert",
    mixinStandardHelpOptions = true,
    description =
        "Undo the changes of one run, or of a workflow's runs since a time, by running the"
            + " recorded inverse calls newest first; report what cannot be undone and why.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every change with an effect is undone (or there was none)",
      "1:some changes could not be undone (listed with why)",
      "2:usage error, unknown run or invalid workflow file"
    })
final class RevertCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN_ID",
      description = "The run whose changes to undo (or give --since).")
  String runId;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "FILE",
      description = "The workflow file: its tools run the inverse calls.")
  Path workflowFile;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Undo every change of the workflow's runs at or after TIME: an instant"
              + " (2025-06-01T09:00:00Z), a date (UTC) or a duration meaning that long ago (2h).")
  String since;

  @Option(
      names = "--by",
      paramLabel = "NAME",
      description = "Who reverts, recorded on each revert (default: the login name).")
  String by = System.getProperty("user.name", "local");

  @Option(names = "--json", description = "Print {\"reverted\": [...], \"notReverted\": [...]}.")
  boolean json;

  @Mixin StoreOptions store;

  /** Reverting runs tools only; a model call would be a bug, so this model refuses. */
  static final ChatModel NO_MODEL =
      new ChatModel() {
        @Override
        public dev.bridle.core.model.ModelResponse chat(dev.bridle.core.model.ModelRequest r) {
          throw new ModelException(
              ModelException.Kind.INVALID_REQUEST,
              "bridle revert and bridle replay call no model",
              null);
        }

        @Override
        public String id() {
          return "none:revert";
        }
      };

  @Override
  public Integer call() {
    if ((runId == null) == (since == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "give either RUN_ID (undo one run) or --since TIME (undo the workflow's runs since"
              + " then), not "
              + (runId == null ? "neither" : "both"));
    }
    Instant from = since == null ? null : Since.parse(spec, since, Clock.systemUTC());
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    Reverter.Report report;
    try (RunStore opened = store.open()) {
      Agent agent =
          StoreOptions.agent(workflow, NO_MODEL, opened, getClass().getClassLoader())
              .journal(opened)
              .build();
      Reverter reverter =
          new Reverter(
              opened,
              name -> agent.name().equals(name) ? Optional.of(agent) : Optional.empty(),
              Clock.systemUTC());
      if (runId != null) {
        RunId id = RunId.of(runId);
        RunSummary run =
            opened
                .find(id)
                .orElseThrow(() -> new ConfigurationException("no run " + id + " in the store"));
        if (!run.workflow().equals(workflow.name())) {
          throw new ConfigurationException(
              "run "
                  + id
                  + " belongs to workflow '"
                  + run.workflow()
                  + "', but "
                  + workflowFile
                  + " is workflow '"
                  + workflow.name()
                  + "'");
        }
        report = reverter.revertRun(id, by);
      } else {
        report = reverter.revertWorkflow(workflow.name(), from, by);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(reportJson(report));
    } else {
      printReport(out, report);
    }
    out.flush();
    return report.complete() ? ExitCode.OK : ExitCode.FAILED;
  }

  private static void printReport(PrintWriter out, Reverter.Report report) {
    if (report.reverted().isEmpty() && report.notReverted().isEmpty()) {
      out.println("Nothing to revert: no change that stands (reverted ones are skipped).");
      return;
    }
    if (!report.reverted().isEmpty()) {
      out.println("Reverted (newest first):");
      for (Reverter.Reverted r : report.reverted()) {
        boolean undone = r.status() == RunEvent.CallStatus.SUCCEEDED;
        out.println(
            "  "
                + r.runId()
                + " "
                + r.callId()
                + " "
                + r.toolName()
                + " ← "
                + r.inverseTool()
                + ": "
                + (undone ? "undone" : "NOT undone, the inverse call " + status(r.status()))
                + (r.observation().isBlank()
                    ? ""
                    : " (" + RunsCommand.oneLine(r.observation(), 120) + ")"));
      }
    }
    if (!report.notReverted().isEmpty()) {
      out.println("Not reverted:");
      for (Reverter.NotReverted n : report.notReverted()) {
        out.println("  " + n.runId() + " " + n.callId() + " " + n.toolName() + ": " + n.why());
      }
    }
    long failed =
        report.reverted().stream().filter(r -> r.status() != RunEvent.CallStatus.SUCCEEDED).count();
    out.println(
        report.complete()
            ? "Every change is undone."
            : (report.notReverted().size() + failed)
                + " change(s) still stand; see above for why.");
  }

  private static String status(RunEvent.CallStatus status) {
    return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static ObjectNode reportJson(Reverter.Report report) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("complete", report.complete());
    ArrayNode reverted = node.putArray("reverted");
    for (Reverter.Reverted r : report.reverted()) {
      ObjectNode entry = reverted.addObject();
      entry.put("runId", r.runId().value());
      entry.put("callId", r.callId());
      entry.put("tool", r.toolName());
      entry.put("inverseTool", r.inverseTool());
      entry.put("status", r.status().name().toLowerCase(Locale.ROOT));
      entry.put("observation", r.observation());
    }
    ArrayNode notReverted = node.putArray("notReverted");
    for (Reverter.NotReverted n : report.notReverted()) {
      ObjectNode entry = notReverted.addObject();
      entry.put("runId", n.runId().value());
      entry.put("callId", n.callId());
      entry.put("tool", n.toolName());
      entry.put("why", n.why());
    }
    return node;
  }
}
