package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalProgress;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.EvalSuite;
import dev.bridle.eval.Score;
import dev.bridle.eval.Suites;
import dev.bridle.eval.TagResult;
import dev.bridle.eval.report.HtmlReport;
import dev.bridle.eval.report.JsonReport;
import dev.bridle.models.ChatModels;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle eval SUITE}: runs a suite of cases against a workflow (docs/evaluation.md), prints
 * progress on stderr and a summary on stdout, writes JSON and HTML reports, and gates on the pass
 * rate.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Run a suite of evaluation cases against a workflow, each on isolated tool data, and gate"
            + " on the pass rate.",
    subcommands = {EvalExportCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the pass rate meets --min-pass",
      "1:the evaluation could not run (an unexpected error)",
      "2:usage error, invalid suite or workflow file, or a tool provider that cannot isolate its"
          + " data",
      "4:the pass rate is below --min-pass"
    })
final class EvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SUITE",
      description = "The suite file: YAML, or JSON Lines (.jsonl).")
  Path suiteFile;

  @Option(
      names = "--workflow",
      paramLabel = "FILE",
      description = "The workflow to evaluate (default: the one the suite names).")
  Path workflowFile;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "scripted (default: each case plays its script) | workflow (the workflow's model or"
              + " cascade) | openai:NAME | anthropic:NAME | ollama:NAME | gemini:NAME.")
  String model = "scripted";

  @Option(
      names = "--model-url",
      paramLabel = "URL",
      description = "Base URL of the model server, for --model workflow or a provider's model.")
  String modelUrl;

  @Option(
      names = "--api-key-env",
      paramLabel = "NAME",
      description = "The environment variable holding the model's API key.")
  String apiKeyEnv;

  @Option(
      names = "--grader-model",
      paramLabel = "MODEL",
      description = "The model that grades 'graded' rubrics: openai:NAME, anthropic:NAME, ...")
  String graderModel;

  @Option(
      names = "--grader-model-url",
      paramLabel = "URL",
      description = "Base URL of the grader's model server.")
  String graderModelUrl;

  @Option(
      names = "--grader-api-key-env",
      paramLabel = "NAME",
      description = "The environment variable holding the grader's API key.")
  String graderApiKeyEnv;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the JSON report to FILE ('-': print it instead of the summary).")
  Path jsonFile;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the HTML report to FILE.")
  Path htmlFile;

  @Option(
      names = "--min-pass",
      paramLabel = "RATE",
      description = "The share of cases that must pass, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double minPass = 1.0;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "Cases run at once, 1 to 64 (default: the cores, at most 4).")
  Integer parallel;

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description = "Run only the cases with this tag (repeatable: any of them).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = "--record",
      description =
          "Record the result in the store (--db) as evidence for `bridle workflows status` and"
              + " `compare`: the workflow's name and version, the suite as SUITE@MODEL, the counts.")
  boolean record;

  @CommandLine.Mixin StoreOptions store;

  @Override
  public Integer call() {
    if (suiteFile == null) {
      throw usage("name a suite file: bridle eval SUITE (or: bridle eval export-corrections ...)");
    }
    if (record && !tags.isEmpty()) {
      throw usage(
          "--record saves the whole suite's result as evidence; a run of some tags (--tag) would"
              + " stand in for it, so run the whole suite to record it");
    }
    if (!(minPass >= 0 && minPass <= 1)) {
      throw usage("--min-pass must be between 0 and 1, but was " + minPass);
    }
    if (parallel != null && (parallel < 1 || parallel > EvalRunner.MAX_PARALLELISM)) {
      throw usage(
          "--parallel must be between 1 and "
              + EvalRunner.MAX_PARALLELISM
              + ", but was "
              + parallel);
    }
    EvalSuite suite = Suites.load(suiteFile);
    Path workflowPath =
        workflowFile != null
            ? workflowFile
            : suite
                .workflow()
                .orElseThrow(
                    () ->
                        usage(
                            suiteFile
                                + " names no workflow ('workflow:'); give one with --workflow"));
    WorkflowDefinition workflow = Workflows.load(workflowPath);
    EvalSuite selected = suite.withTags(tags);
    if (selected.cases().isEmpty()) {
      throw usage(
          "no case of "
              + suiteFile
              + " has the tag "
              + String.join(" or ", tags)
              + "; its tags: "
              + String.join(", ", suite.tags()));
    }
    EvalRunner.Builder runner =
        EvalRunner.builder()
            .workflow(workflow)
            .classLoader(getClass().getClassLoader())
            .onProgress(this::progress);
    chosenModel(workflow, workflowPath).ifPresent(runner::model);
    if (graderModel != null) {
      runner.grader(grader());
    }
    if (parallel != null) {
      runner.parallelism(parallel);
    }
    EvalReport report = runner.build().run(selected);
    if (record && report.total() > 0) {
      record(workflow, selected, report);
    }
    if (jsonFile != null && !jsonFile.toString().equals("-")) {
      JsonReport.write(report, minPass, jsonFile);
    }
    if (htmlFile != null) {
      HtmlReport.write(report, minPass, htmlFile);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (jsonFile != null && jsonFile.toString().equals("-")) {
      out.println(Json.write(JsonReport.toJson(report, minPass)));
    } else {
      summary(out, report);
    }
    out.flush();
    return report.meets(minPass) ? ExitCode.OK : ExitCode.BELOW_GATE;
  }

  /**
   * Records the result as deployment evidence. The suite is named with its model, so a result on
   * the scripted model never stands in for one on a real model (readiness wants every suite's
   * newest result to pass). The counts are those of the cases that ran: with a real model, the
   * scripted-only cases are in neither.
   */
  private void record(WorkflowDefinition workflow, EvalSuite suite, EvalReport report) {
    String name = suite.name() + "@" + report.model();
    if (name.length() > EvaluationRecord.MAX_SUITE_CHARS) {
      name = name.substring(0, EvaluationRecord.MAX_SUITE_CHARS);
    }
    try (RunStore runs = store.open()) {
      RunStores.deploymentEvidence(runs)
          .recordEvaluation(
              new EvaluationRecord(
                  workflow.name(),
                  workflow.version(),
                  name,
                  report.total(),
                  report.passed(),
                  Instant.now(),
                  System.getProperty("user.name", "local")));
    }
    spec.commandLine()
        .getErr()
        .println("recorded " + name + " for " + workflow.name() + "@" + workflow.version());
  }

  /** Empty for the scripted default: each case's script plays. */
  private java.util.Optional<ChatModel> chosenModel(WorkflowDefinition workflow, Path path) {
    if (model.equals("scripted")) {
      if (modelUrl != null || apiKeyEnv != null) {
        throw usage(
            "--model-url and --api-key-env need a model: --model workflow or --model PROVIDER:NAME");
      }
      return java.util.Optional.empty();
    }
    ModelOptions options = new ModelOptions();
    options.model = model.equals("workflow") ? null : model;
    options.modelUrl = modelUrl;
    options.apiKeyEnv = apiKeyEnv;
    return java.util.Optional.of(options.choose(workflow, path));
  }

  private ChatModel grader() {
    ModelSpec spec;
    try {
      spec = ModelSpec.parse(graderModel);
    } catch (ConfigurationException e) {
      throw usage("--grader-model: " + e.getMessage());
    }
    if (spec.provider().equals("scripted")) {
      throw usage("--grader-model must be a real model (openai:NAME, ...), not the scripted one");
    }
    if (graderModelUrl != null) {
      spec = spec.withBaseUrl(graderModelUrl);
    }
    if (graderApiKeyEnv != null) {
      spec = spec.withApiKeyEnv(graderApiKeyEnv);
    }
    try {
      return ChatModels.create(spec);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("--grader-model: " + e.getMessage(), e);
    }
  }

  private void progress(EvalProgress progress) {
    if (progress instanceof EvalProgress.CaseFinished finished) {
      CaseResult result = finished.result();
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "[%d/%d] %s %s (%s)%s%n",
          finished.done(),
          finished.total(),
          result.passed() ? "pass" : "FAIL",
          result.id(),
          result.outcome(),
          result.passed() ? "" : ": " + firstProblem(result));
      err.flush();
    }
  }

  private static String firstProblem(CaseResult result) {
    if (result.error().isPresent()) {
      return result.error().get();
    }
    return result.failedScores().stream()
        .findFirst()
        .map(s -> s.scorer() + ": " + s.detail().lines().findFirst().orElse(""))
        .orElse("");
  }

  private void summary(PrintWriter out, EvalReport report) {
    out.println(
        "Suite "
            + report.suite()
            + ": workflow "
            + report.workflow()
            + ", model "
            + report.model()
            + (report.model().equals("scripted") ? "  [scripted: no LLM was called]" : ""));
    int notRun = report.notApplicable().size();
    out.printf(
        "%d cases: %d passed, %d failed (%s)%s%n",
        report.total(),
        report.passed(),
        report.failed(),
        percent(report.passRate()),
        notRun == 0
            ? ""
            : "; "
                + notRun
                + " scripted-only "
                + (notRun == 1 ? "case" : "cases")
                + " not run (not applicable to a real model, not in the pass rate or the gate)");
    out.println("By tag:");
    int width = report.byTag().keySet().stream().mapToInt(String::length).max().orElse(3);
    for (TagResult tag : report.byTag().values()) {
      out.printf(
          "  %-" + width + "s  %3d/%-3d %s%n",
          tag.tag(),
          tag.passed(),
          tag.total(),
          percent(tag.passRate()));
    }
    List<CaseResult> failures = report.failures();
    if (!failures.isEmpty()) {
      out.println("Failures:");
      for (CaseResult failure : failures) {
        out.println("  " + failure.id() + " [" + String.join(", ", failure.tags()) + "]");
        failure.error().ifPresent(error -> out.println("    error: " + error));
        for (Score score : failure.failedScores()) {
          String[] lines = score.detail().split("\n");
          out.println("    " + score.scorer() + ": " + lines[0]);
          for (int i = 1; i < lines.length; i++) {
            out.println("      " + lines[i]);
          }
        }
      }
    }
    boolean meets = report.meets(minPass);
    out.println(
        "Gate: "
            + percent(report.passRate())
            + (meets ? " meets" : " is below")
            + " --min-pass "
            + percent(minPass)
            + (meets ? "" : " (exit code " + ExitCode.BELOW_GATE + ")"));
    if (jsonFile != null) {
      out.println("JSON report: " + jsonFile);
    }
    if (htmlFile != null) {
      out.println("HTML report: " + htmlFile);
    }
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
