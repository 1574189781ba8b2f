package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.VersionSummary;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle workflows compare WORKFLOW --versions A,B}: versions side by side: runs and how
 * they ended, suite results, what approvers did with the proposals, agreement, cost and feedback.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Compare versions of a workflow: runs and outcomes, suite pass rates, approvals (approved,"
            + " edited, rejected), agreement, cost, mean feedback.")
final class WorkflowsCompareCommand implements Callable<Integer> {

  /** The most versions compared at once. */
  static final int MAX_VERSIONS = 10;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "A workflow name or its file.")
  String workflow;

  @Option(
      names = "--versions",
      required = true,
      split = ",",
      paramLabel = "V",
      description = "The versions, comma-separated, e.g. --versions 3,4.")
  List<String> versions;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    List<String> chosen = new ArrayList<>(new LinkedHashSet<>(versions));
    if (chosen.stream().anyMatch(String::isBlank) || chosen.size() > MAX_VERSIONS) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--versions takes 1 to "
              + MAX_VERSIONS
              + " versions separated by commas, none blank, but was '"
              + String.join(",", versions)
              + "'");
    }
    String name = WorkflowsTarget.resolve(spec, workflow).name();
    List<VersionSummary> summaries;
    try (RunStore opened = store.open()) {
      summaries = WorkflowsCommand.deployment(opened).compare(name, chosen);
    } catch (DeploymentException e) {
      return WorkflowsCommand.refused(spec, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      summaries.forEach(summary -> array.add(EvidenceJson.plain().versionSummary(summary)));
      out.println(
          Json.write(Json.MAPPER.createObjectNode().put("workflow", name).set("versions", array)));
    } else {
      print(out, name, summaries);
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void print(PrintWriter out, String name, List<VersionSummary> summaries) {
    out.println("Workflow " + name);
    row(out, "version", summaries, VersionSummary::version);
    row(out, "runs", summaries, s -> String.valueOf(s.runs()));
    for (RunStatus status : RunStatus.values()) {
      if (summaries.stream().anyMatch(s -> s.count(status) > 0)) {
        row(
            out,
            "  " + status.name().toLowerCase(Locale.ROOT),
            summaries,
            s -> String.valueOf(s.count(status)));
      }
    }
    row(
        out,
        "suite pass rate (lowest)",
        summaries,
        s -> s.lowestSuitePassRate().map(WorkflowsCompareCommand::percent).orElse("-"));
    LinkedHashSet<String> suites = new LinkedHashSet<>();
    summaries.forEach(s -> s.suites().forEach(e -> suites.add(e.suite())));
    for (String suite : suites) {
      row(
          out,
          "  " + suite,
          summaries,
          s ->
              s.suites().stream()
                  .filter(e -> e.suite().equals(suite))
                  .findFirst()
                  .map(WorkflowsCompareCommand::result)
                  .orElse("-"));
    }
    row(out, "approved", summaries, s -> String.valueOf(s.approvals().approved()));
    row(out, "edited", summaries, s -> String.valueOf(s.approvals().edited()));
    row(out, "rejected", summaries, s -> String.valueOf(s.approvals().rejected()));
    row(out, "responded", summaries, s -> String.valueOf(s.approvals().responded()));
    row(out, "approval streak", summaries, s -> String.valueOf(s.approvals().current()));
    row(out, "agreement", summaries, s -> s.agreement().total().describe());
    row(out, "tokens", summaries, s -> String.valueOf(s.tokens()));
    row(out, "cost USD", summaries, s -> s.costUsd().toPlainString());
    row(
        out,
        "cost per run USD",
        summaries,
        s -> s.costPerRun().map(c -> c.stripTrailingZeros().toPlainString()).orElse("-"));
    row(out, "unpriced model calls", summaries, s -> String.valueOf(s.unpricedModelCalls()));
    row(
        out,
        "feedback mean (ratings)",
        summaries,
        s ->
            s.feedback().count() == 0
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%.2f (%d)",
                    s.feedback().mean().orElseThrow(),
                    s.feedback().count()));
  }

  private static void row(
      PrintWriter out,
      String label,
      List<VersionSummary> summaries,
      Function<VersionSummary, String> cell) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-26s", label));
    for (VersionSummary summary : summaries) {
      line.append(String.format(Locale.ROOT, " %-16s", cell.apply(summary)));
    }
    out.println(line.toString().stripTrailing());
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  private static String result(EvaluationRecord record) {
    return record.passed() + "/" + record.total() + " (" + percent(record.passRate()) + ")";
  }
}
