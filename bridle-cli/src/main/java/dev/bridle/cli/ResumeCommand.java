package dev.bridle.cli;

import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
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
      "1:failed, stopped by a limit, or killed",
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
    try (RunStore opened = store.open()) {
      Agent agent =
          Workflows.agent(workflow, chatModel, getClass().getClassLoader()).journal(opened).build();
      result = Runs.runOrExplain(spec, id, workflowFile, () -> agent.resume(id));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(RunCommand.toJson(workflow, chatModel, result)));
    } else {
      out.println("Run " + result.runId() + ": " + result.outcome().message());
      result.answer().ifPresent(answer -> out.println("Answer:\n" + answer.strip()));
    }
    out.flush();
    return ExitCode.of(result.outcome());
  }
}
