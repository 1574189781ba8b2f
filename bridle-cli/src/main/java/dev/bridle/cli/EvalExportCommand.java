package dev.bridle.cli;

import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.eval.correction.Correction;
import dev.bridle.eval.correction.Corrections;
import dev.bridle.eval.correction.CorrectionsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bridle eval export-corrections}: turns the calls people edited or rejected in a workflow's
 * runs into suite cases tagged {@code correction}, appended to a suite file without duplicates
 * (docs/evaluation.md, "Corrections").
 */
@Command(
    name = "export-corrections",
    mixinStandardHelpOptions = true,
    description =
        "Write a suite case for each call a person edited or rejected in a workflow's runs (tag"
            + " 'correction'); cases exported before are not written again.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:exported (or nothing new to export)",
      "1:the run store is unavailable",
      "2:usage error, invalid workflow file, or a suite file that cannot be appended to"
    })
final class EvalExportCommand implements Callable<Integer> {

  /** Runs looked at, newest first. */
  static final int MAX_RUNS = 10_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "FILE",
      description = "The workflow whose runs to look at (its name selects them).")
  Path workflowFile;

  @CommandLine.Mixin StoreOptions store;

  @Option(names = "--store", paramLabel = "URL", description = "The same as --db.")
  String storeUrl;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "The suite file to append to, or create: YAML, or JSON Lines (.jsonl) (default:"
              + " corrections.yaml beside the workflow file).")
  Path out;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only runs created after this: an instant (2025-06-01T09:00:00Z), a date (2025-06-01)"
              + " or a duration meaning that long ago (7d).")
  String since;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    if (storeUrl != null && store.url != null && !storeUrl.equals(store.url)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--store and --db name different stores; give one of them");
    }
    if (storeUrl != null) {
      store.url = storeUrl;
    }
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    RunQuery query = RunQuery.ALL.withWorkflow(workflow.name()).withLimit(MAX_RUNS);
    if (since != null) {
      Instant after = Since.parse(spec, since, clock);
      query = query.withCreatedAfter(after);
    }
    Path file = out != null ? out : siblingOf(workflowFile, "corrections.yaml");
    List<Correction> corrections;
    int runs;
    try (RunStore opened = store.open()) {
      runs = opened.list(query).size();
      corrections = Corrections.find(opened, query);
    }
    CorrectionsFile.Written written =
        CorrectionsFile.write(file, workflowFile, workflow.name(), corrections);
    PrintWriter output = spec.commandLine().getOut();
    output.println(
        "Looked at "
            + runs
            + (runs == 1 ? " run" : " runs")
            + " of "
            + workflow.name()
            + (since == null ? "" : " since " + since)
            + ": "
            + corrections.size()
            + (corrections.size() == 1 ? " correction" : " corrections")
            + " (edited or rejected calls).");
    for (String id : written.written()) {
      output.println("  + " + id);
    }
    output.println(
        written.written().isEmpty()
            ? "Nothing new to write to " + file + "."
            : (written.created() ? "Created " : "Appended to ")
                + file
                + ": "
                + written.written().size()
                + (written.written().size() == 1 ? " case" : " cases")
                + " tagged correction.");
    if (!written.skipped().isEmpty()) {
      output.println(
          written.skipped().size()
              + (written.skipped().size() == 1 ? " was" : " were")
              + " exported before and skipped.");
    }
    output.flush();
    return ExitCode.OK;
  }

  private static Path siblingOf(Path file, String name) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(name) : parent.resolve(name);
  }
}
