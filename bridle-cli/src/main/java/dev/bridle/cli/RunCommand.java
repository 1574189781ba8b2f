package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bridle run WORKFLOW --input TEXT}: runs one task to its end and prints the outcome. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one task through a workflow and print the outcome.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:completed",
      "1:failed, stopped by a limit, killed or cancelled",
      "2:usage error or invalid workflow file",
      "3:suspended, waiting for a human decision"
    })
final class RunCommand implements Callable<Integer> {

  /** Tasks longer than this are refused rather than sent to a model. */
  static final int MAX_INPUT_CHARS = 100_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "The workflow file (YAML).")
  Path workflowFile;

  @CommandLine.ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--input", paramLabel = "TEXT", description = "The task for the agent.")
    String text;

    @Option(
        names = "--input-file",
        paramLabel = "FILE",
        description = "Read the task from a file ('-' for standard input).")
    Path file;
  }

  @CommandLine.Mixin ModelOptions models;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @CommandLine.Mixin StoreOptions store;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "Who the run is for, recorded on the run (default: the login name).")
  String user = System.getProperty("user.name", "local");

  @Override
  public Integer call() {
    WorkflowDefinition workflow = Workflows.load(workflowFile);
    String task = readTask();
    ChatModel chatModel = models.choose(workflow, workflowFile);
    RunResult result;
    try (RunStore opened = store.open()) {
      Agent agent =
          StoreOptions.agent(workflow, chatModel, opened, getClass().getClassLoader())
              .journal(opened)
              .build();
      RunId runId = RunId.random();
      result = Runs.runOrExplain(spec, runId, workflowFile, () -> agent.run(runId, task, user));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(workflow, chatModel, result)));
    } else {
      printText(out, workflow, chatModel, result, workflowFile);
    }
    out.flush();
    return ExitCode.of(result.outcome());
  }

  private String readTask() {
    String task;
    if (input.text != null) {
      task = input.text;
    } else {
      try {
        task =
            input.file.toString().equals("-")
                ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                : Files.readString(input.file);
      } catch (IOException e) {
        throw usage("cannot read --input-file " + input.file + ": " + e.getMessage());
      }
    }
    if (task.isBlank()) {
      throw usage("the input is empty; give the agent a task");
    }
    if (task.length() > MAX_INPUT_CHARS) {
      throw usage(
          "the input is "
              + task.length()
              + " characters; the limit is "
              + MAX_INPUT_CHARS
              + " (a task is a request, not a document)");
    }
    return task;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static boolean scripted(ChatModel model) {
    return model instanceof ScriptedChatModel;
  }

  static ObjectNode toJson(WorkflowDefinition workflow, ChatModel model, RunResult result) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("runId", result.runId().value());
    node.put("workflow", workflow.name());
    node.put("workflowVersion", workflow.version());
    node.put("model", model.id());
    node.put("scripted", scripted(model));
    node.put("outcome", outcomeName(result));
    node.put("message", result.outcome().message());
    Optional<String> answer = result.answer();
    if (answer.isPresent()) {
      node.put("answer", answer.get());
    } else {
      node.putNull("answer");
    }
    node.put("steps", result.steps());
    ArrayNode pending = node.putArray("pendingApprovals");
    pendingApprovals(result).forEach(pending::add);
    ArrayNode calls = node.putArray("toolCalls");
    for (ToolCallSummary call : result.toolCalls()) {
      ObjectNode entry = calls.addObject();
      entry.put("id", call.callId());
      entry.put("name", call.name());
      entry.set("arguments", argumentsNode(call.arguments()));
      entry.put("status", call.status());
    }
    putUsage(node, result.usage());
    return node;
  }

  /**
   * {@code "usage": {inputTokens, outputTokens, cachedInputTokens, totalTokens}}, as every command
   * prints it.
   */
  static void putUsage(ObjectNode node, dev.bridle.core.model.Usage usage) {
    ObjectNode json = node.putObject("usage");
    json.put("inputTokens", usage.inputTokens());
    json.put("outputTokens", usage.outputTokens());
    json.put("cachedInputTokens", usage.cachedInputTokens());
    json.put("totalTokens", usage.totalTokens());
  }

  private static com.fasterxml.jackson.databind.JsonNode argumentsNode(String arguments) {
    try {
      return Json.MAPPER.readTree(arguments);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(arguments);
    }
  }

  static String outcomeName(RunResult result) {
    return switch (result.outcome()) {
      case dev.bridle.core.run.RunOutcome.Completed c -> "completed";
      case dev.bridle.core.run.RunOutcome.Failed f -> "failed";
      case dev.bridle.core.run.RunOutcome.StepLimitReached s -> "step_limit_reached";
      case dev.bridle.core.run.RunOutcome.DeadlineExceeded d -> "deadline_exceeded";
      case dev.bridle.core.run.RunOutcome.LoopDetected l -> "loop_detected";
      case dev.bridle.core.run.RunOutcome.Suspended s -> "suspended";
      case dev.bridle.core.run.RunOutcome.Killed k -> "killed";
      case dev.bridle.core.run.RunOutcome.Cancelled c -> "cancelled";
      case dev.bridle.core.run.RunOutcome.Blocked b -> "blocked";
      case dev.bridle.core.run.RunOutcome.Escalated e -> "escalated";
      case dev.bridle.core.run.RunOutcome.BudgetExhausted b -> "budget_exhausted";
    };
  }

  /** The inbox items a suspended run waits on; empty for any other outcome. */
  static List<String> pendingApprovals(RunResult result) {
    return result.outcome() instanceof RunOutcome.Suspended suspended
        ? suspended.approvalIds()
        : List.of();
  }

  /** {@code Run ID: outcome}, the answer, and what to do next; for commands that resume a run. */
  static void printOutcome(PrintWriter out, RunResult result, Path workflowFile) {
    out.println("Run " + result.runId() + ": " + result.outcome().message());
    result.answer().ifPresent(answer -> out.println("Answer:\n" + answer.strip()));
    printNextSteps(out, result, workflowFile);
  }

  /** For a run that waits (an approval, a kill switch): which commands continue it. */
  static void printNextSteps(PrintWriter out, RunResult result, Path workflowFile) {
    switch (result.outcome()) {
      case RunOutcome.Suspended s -> {
        for (String id : s.approvalIds()) {
          out.println("Pending approval: " + id);
          out.println("  see it:     bridle approvals show " + id);
          out.println(
              "  decide it:  bridle approvals approve|reject|respond "
                  + id
                  + " --workflow "
                  + workflowFile);
        }
      }
      case RunOutcome.Killed k ->
          out.println(
              "The run is parked. Once the kill switch is off, continue it with: bridle resume "
                  + result.runId()
                  + " --workflow "
                  + workflowFile
                  + "; or end it with: bridle runs cancel "
                  + result.runId());
      default -> {}
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace("\\n", " ").replace('\n', ' ');
    return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 100) + "…";
  }

  private static void printText(
      PrintWriter out,
      WorkflowDefinition workflow,
      ChatModel model,
      RunResult result,
      Path workflowFile) {
    out.println(
        "Run "
            + result.runId()
            + " of "
            + workflow.name()
            + "@"
            + workflow.version()
            + " with "
            + model.id()
            + (scripted(model) ? "  [scripted model: no LLM was called]" : ""));
    int n = 1;
    for (ToolCallSummary call : result.toolCalls()) {
      out.printf(
          "  %d. %s %s  → %s%n", n++, call.name(), abbreviate(call.arguments()), call.status());
    }
    out.println("Outcome: " + result.outcome().message() + " (" + result.steps() + " model calls)");
    result.answer().ifPresent(answer -> out.println("Answer:\n" + answer.strip()));
    printNextSteps(out, result, workflowFile);
    out.println(
        "Tokens: "
            + result.usage().inputTokens()
            + " in, "
            + result.usage().outputTokens()
            + " out");
  }
}
