package dev.bridle.cli;

import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bridle submit WORKFLOW --input TEXT --db URL}: queues a run for the workers. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Queue a run for the workers of 'bridle serve' and print its id.")
final class SubmitCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "The workflow file (YAML).")
  Path workflowFile;

  @Option(names = "--input", required = true, paramLabel = "TEXT", description = "The task.")
  String input;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "Who the run is for (default: the login name).")
  String user = System.getProperty("user.name", "local");

  @Option(names = "--json", description = "Print {\"runId\": ...}.")
  boolean json;

  @CommandLine.Mixin StoreOptions store;

  @Override
  public Integer call() {
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    if (input.isBlank() || input.length() > RunCommand.MAX_INPUT_CHARS) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the input must be 1 to " + RunCommand.MAX_INPUT_CHARS + " characters");
    }
    RunId runId = RunId.random();
    RunQueue queue = RunStores.openQueue(store.url());
    try {
      queue.submit(runId, workflow.name(), input, user, Clock.systemUTC());
    } finally {
      queue.store().close();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? Json.write(java.util.Map.of("runId", runId.value())) : runId.value());
    out.flush();
    return ExitCode.OK;
  }
}
