package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
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
 * {@code bridle workflows history [WORKFLOW]}: the audit log of mode changes, newest first: who
 * changed which workflow's mode, when, why, from what to what, whether forced, and the evidence as
 * it stood.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "The audit log of mode changes, newest first: who, when, why, from, to, forced, evidence.")
final class WorkflowsHistoryCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Parameters(
      arity = "0..1",
      paramLabel = "WORKFLOW",
      description = "Only this workflow (a name or its file).")
  String workflow;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
  int limit;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > DeploymentEvidence.MAX_LIST) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--limit must be between 1 and " + DeploymentEvidence.MAX_LIST + ", but was " + limit);
    }
    Optional<String> name =
        Optional.ofNullable(workflow).map(text -> WorkflowsTarget.resolve(spec, text).name());
    List<ModeChange> changes;
    try (RunStore opened = store.open()) {
      changes = RunStores.deploymentEvidence(opened).modeChanges(name, limit);
    } catch (DeploymentException e) {
      return WorkflowsCommand.refused(spec, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      changes.forEach(change -> array.add(EvidenceJson.plain().modeChange(change)));
      out.println(Json.write(array));
    } else if (changes.isEmpty()) {
      out.println(
          "No mode change recorded"
              + name.map(n -> " for " + n).orElse("")
              + "; workflows run in the mode their files declare.");
    } else {
      for (ModeChange change : changes) {
        out.printf(
            "%5d  %s  %-24s %-26s by %s%s: %s%n",
            change.seq(),
            change.at(),
            change.workflow(),
            change.describe(),
            change.by(),
            change.forced() ? " (FORCED)" : "",
            RunsCommand.oneLine(change.reason(), 100));
        out.println("       evidence: " + RunsCommand.oneLine(change.evidence(), 200));
      }
    }
    out.flush();
    return ExitCode.OK;
  }
}
