package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle resume RUN_ID --workflow FILE}: continues an interrupted run from its journal.
 * Recorded model responses are not requested again; a tool call that started and never completed
 * runs again only if its tool is idempotent, otherwise the run suspends with the call in doubt.
 */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Continue an interrupted run from its journal.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:completed",
      "1:failed, stopped by a limit, killed or cancelled",
      "2:usage error, unknown run or invalid workflow file",
      "3:suspended, waiting for a human decision"
    })
final class ResumeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "FILE",
      description = "The workflow file the run was started with (same name).")
  Path workflowFile;

  @CommandLine.Mixin ModelOptions models;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @CommandLine.Mixin StoreOptions store;

  @Override
  public Integer call() {
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    ChatModel chatModel = models.choose(workflow, workflowFile);
    RunId id = RunId.of(runId);
    RunResult result;
    RunQueue queue = RunStores.openQueue(store.url());
    try (RunStore opened = queue.store()) {
      RunSummary run =
          opened
              .find(id)
              .orElseThrow(() -> new ConfigurationException("no run " + id + " in the store"));
      Agent.Builder agent =
          StoreOptions.agent(workflow, chatModel, opened, getClass().getClassLoader());
      if (run.status().isTerminal()) {
        // Nothing to write: the run answers with its recorded outcome.
        result = agent.journal(opened).build().resume(id);
      } else {
        result =
            Runs.resumeUnderLease(spec, queue, agent, id, workflowFile)
                .orElseThrow(
                    () ->
                        new ConfigurationException(
                            "run "
                                + id
                                + " is being worked on by a worker node (it holds the run's"
                                + " lease); it resumes the run itself"));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(RunCommand.toJson(workflow, chatModel, result)));
    } else {
      RunCommand.printOutcome(out, result, workflowFile);
    }
    out.flush();
    return ExitCode.of(result.outcome());
  }
}
