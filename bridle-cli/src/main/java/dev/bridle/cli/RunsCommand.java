package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.run.Cancellation;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bridle runs list|show}: the run index and the flight recorder of one run. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs, show one run's event timeline, cancel a waiting run, prune old runs.",
    subcommands = {
      RunsCommand.ListRuns.class,
      RunsCommand.ShowRun.class,
      RunsCommand.Cancel.class,
      RunsCommand.Prune.class
    })
final class RunsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: list, show, cancel, prune");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--status",
        description = "QUEUED, RUNNING, SUSPENDED, KILLED, COMPLETED, FAILED or CANCELLED.")
    RunStatus status;

    @Option(names = "--workflow", paramLabel = "NAME")
    String workflow;

    @Option(names = "--user", paramLabel = "NAME")
    String user;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 10_000) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--limit must be between 1 and 10000, but was " + limit);
      }
      RunQuery query = RunQuery.ALL.withLimit(limit);
      if (status != null) {
        query = query.withStatus(status);
      }
      if (workflow != null) {
        query = query.withWorkflow(workflow);
      }
      if (user != null) {
        query = query.withUser(user);
      }
      List<RunSummary> runs;
      try (RunStore opened = store.open()) {
        runs = opened.list(query);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        runs.forEach(run -> array.add(summaryJson(run)));
        out.println(array);
      } else {
        printTable(out, runs);
      }
      out.flush();
      return ExitCode.OK;
    }

    private static void printTable(PrintWriter out, List<RunSummary> runs) {
      if (runs.isEmpty()) {
        out.println("No runs.");
        return;
      }
      out.printf(
          "%-42s %-18s %-10s %5s %8s  %-20s %s%n",
          "RUN", "WORKFLOW", "STATUS", "STEPS", "TOKENS", "CREATED", "TASK");
      for (RunSummary run : runs) {
        out.printf(
            "%-42s %-18s %-10s %5d %8d  %-20s %s%n",
            run.runId(),
            run.workflow(),
            run.status().name().toLowerCase(Locale.ROOT),
            run.steps(),
            run.usage().totalTokens(),
            run.createdAt().toString().substring(0, 19).replace('T', ' '),
            oneLine(run.task(), 50));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one run: its index row and every event in order.")
  static final class ShowRun implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "Print one JSON object with every event.")
    boolean json;

    @Override
    public Integer call() {
      RunId id = RunId.of(runId);
      RunSummary summary;
      List<JournalEntry> events;
      List<String> pending;
      try (RunStore opened = store.open()) {
        summary =
            opened
                .find(id)
                .orElseThrow(() -> new ConfigurationException("no run " + runId + " in the store"));
        events = opened.read(id);
        pending =
            new Approvals(opened, name -> Optional.empty(), Clock.systemUTC())
                .pendingFor(id).stream().map(ApprovalItem::id).toList();
      }
      PrintWriter out = spec.commandLine().getOut();
      Optional<RunEvent.RunStarted> started =
          events.stream()
              .map(JournalEntry::event)
              .filter(RunEvent.RunStarted.class::isInstance)
              .map(RunEvent.RunStarted.class::cast)
              .findFirst();
      if (json) {
        ObjectNode node = summaryJson(summary);
        node.put("definitionHash", started.map(RunEvent.RunStarted::definitionHash).orElse(null));
        node.put("modelId", started.map(RunEvent.RunStarted::modelId).orElse(null));
        ArrayNode waiting = node.putArray("pendingApprovals");
        pending.forEach(waiting::add);
        ArrayNode array = node.putArray("events");
        for (JournalEntry entry : events) {
          ObjectNode event = Json.MAPPER.createObjectNode();
          event.put("seq", entry.seq());
          event.set("event", readTree(EventCodec.encode(entry.event())));
          array.add(event);
        }
        out.println(node);
      } else {
        out.printf(
            "Run %s  %s@%s  %s  user %s  %d steps  %d tokens%nTask: %s%n",
            summary.runId(),
            summary.workflow(),
            summary.workflowVersion(),
            summary.status().name().toLowerCase(Locale.ROOT),
            summary.user(),
            summary.steps(),
            summary.usage().totalTokens(),
            oneLine(summary.task(), 200));
        started.ifPresent(
            e ->
                out.printf(
                    "Definition: %s  model %s%n",
                    e.definitionHash() == null
                        ? "not recorded (the run started before Bridle recorded definition hashes)"
                        : e.definitionHash(),
                    e.modelId()));
        for (JournalEntry entry : events) {
          out.printf(
              "%4d  %s  %-18s %s%n",
              entry.seq(),
              entry.event().at().toString(),
              entry.event().getClass().getSimpleName(),
              EventLines.describe(entry.event()));
        }
        for (String approval : pending) {
          out.println("Waiting for approval " + approval + ": bridle approvals show " + approval);
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "End a run that waits (for an approval, after a kill switch, in the queue, or"
              + " interrupted) without finishing it. Its changes stay: revert them with 'bridle"
              + " revert'.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:cancelled",
        "1:the run has ended already, or a worker is running it (stop it with a kill switch)",
        "2:usage error or unknown run"
      })
  static final class Cancel implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded on the run.")
    String reason = "";

    @Option(
        names = "--by",
        paramLabel = "NAME",
        description = "Who cancels, recorded on the run (default: the login name).")
    String by = System.getProperty("user.name", "local");

    @Override
    public Integer call() {
      RunId id = RunId.of(runId);
      PrintWriter err = spec.commandLine().getErr();
      try (RunStore opened = store.open()) {
        RunSummary run =
            opened
                .find(id)
                .orElseThrow(() -> new ConfigurationException("no run " + runId + " in the store"));
        if (run.status().isTerminal()) {
          err.println(
              "bridle: run "
                  + id
                  + " has ended ("
                  + run.status().name().toLowerCase(Locale.ROOT)
                  + "); there is nothing to cancel");
          err.flush();
          return ExitCode.FAILED;
        }
        try {
          Cancellation.cancel(opened, id, by, reason, Clock.systemUTC());
        } catch (JournalConflictException e) {
          err.println(
              "bridle: run "
                  + id
                  + " is being worked on (another writer appended to it just now); stop it with a"
                  + " kill switch first, then cancel it");
          err.flush();
          return ExitCode.FAILED;
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Run "
              + id
              + " cancelled by "
              + by
              + (reason.isBlank() ? "" : ": " + reason)
              + ". Its changes stay; undo them with: bridle revert "
              + id
              + " --workflow FILE");
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description =
          "Retention: delete the journals of runs that completed or failed more than DURATION ago."
              + " Runs still going or waiting for a human are never touched.")
  static final class Prune implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--ended-before",
        required = true,
        paramLabel = "DURATION",
        description = "How long ago a run must have ended, e.g. 30d, 12h.")
    String age;

    @Override
    public Integer call() {
      java.time.Duration duration;
      try {
        duration = dev.bridle.core.workflow.Durations.parse(age);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      java.time.Instant cutoff = java.time.Instant.now().minus(duration);
      int pruned;
      try (RunStore opened = store.open()) {
        pruned = opened.pruneEndedBefore(cutoff);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("Deleted " + pruned + " run(s) that ended before " + cutoff + ".");
      out.flush();
      return ExitCode.OK;
    }
  }

  static ObjectNode summaryJson(RunSummary run) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("runId", run.runId().value());
    node.put("workflow", run.workflow());
    node.put("workflowVersion", run.workflowVersion());
    node.put("user", run.user());
    node.put("status", run.status().name().toLowerCase(Locale.ROOT));
    node.put("createdAt", run.createdAt().toString());
    node.put("updatedAt", run.updatedAt().toString());
    node.put("steps", run.steps());
    RunCommand.putUsage(node, run.usage());
    node.put("task", run.task());
    node.put("events", run.lastSeq());
    return node;
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }

  static String oneLine(String text, int max) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= max ? line : line.substring(0, max) + "…";
  }

  /** One readable line per event for {@code runs show}. */
  static final class EventLines {
    private EventLines() {}

    static String describe(RunEvent event) {
      return switch (event) {
        case RunEvent.RunSubmitted e -> "queued by " + e.user();
        case RunEvent.RunStarted e -> e.agent() + " for " + e.user() + " with " + e.modelId();
        case RunEvent.RunResumed e -> "resumed by " + e.by();
        case RunEvent.RunSuspended e -> e.reason();
        case RunEvent.ModelResponded e ->
            "step "
                + e.step()
                + " "
                + e.modelId()
                + " "
                + e.latencyMillis()
                + " ms, "
                + e.usage().totalTokens()
                + " tokens: "
                + (e.message().hasToolCalls()
                    ? e.message().toolCalls().size() + " tool call(s)"
                    : oneLine(e.message().text(), 80));
        case RunEvent.ToolCallProposed e ->
            e.callId() + " " + e.toolName() + " " + oneLine(e.arguments(), 80);
        case RunEvent.ToolCallRejected e ->
            e.callId()
                + " "
                + e.reason().name().toLowerCase(Locale.ROOT)
                + ": "
                + oneLine(e.observation(), 80);
        case RunEvent.ToolCallStarted e ->
            e.callId()
                + " "
                + e.toolName()
                + " ["
                + e.effect()
                + (e.idempotent() ? ", idempotent" : "")
                + "] key "
                + e.idempotencyKey();
        case RunEvent.ToolCallCompleted e ->
            e.callId()
                + " "
                + e.status().name().toLowerCase(Locale.ROOT)
                + " in "
                + e.durationMillis()
                + " ms: "
                + oneLine(e.observation(), 80)
                + (e.change() == null ? "" : "; changed " + AuditCommand.change(e.change()));
        case RunEvent.GuardTripped e ->
            (e.callId() == null ? "" : e.callId() + " ")
                + "guard "
                + e.guard()
                + " "
                + e.kind().name().toLowerCase(Locale.ROOT)
                + " at "
                + e.stage().name().toLowerCase(Locale.ROOT)
                + ": "
                + oneLine(e.reason(), 100);
        case RunEvent.BudgetThresholdCrossed e ->
            (e.hard() ? "budget hard limit reached: " : "budget soft threshold crossed: ")
                + oneLine(e.message(), 100);
        case RunEvent.PolicyDecided e ->
            e.callId()
                + " "
                + e.toolName()
                + " "
                + e.verdict().name().toLowerCase(Locale.ROOT)
                + " (rule "
                + e.rule()
                + "): "
                + oneLine(e.reason(), 100);
        case RunEvent.ToolCallShadowed e ->
            e.callId()
                + " "
                + e.toolName()
                + " ["
                + e.effect()
                + "] recorded, not executed: "
                + oneLine(e.arguments(), 80);
        case RunEvent.ApprovalRequested e ->
            e.approvalId()
                + " "
                + e.toolName()
                + " waits for a human"
                + (e.fourEyes() ? " (four eyes)" : "")
                + ", until "
                + e.expiresAt()
                + " then "
                + e.onTimeout().name().toLowerCase(Locale.ROOT)
                + ": "
                + oneLine(e.reason(), 100);
        case RunEvent.ApprovalDecided e ->
            e.approvalId()
                + " "
                + ApprovalsCommand.describe(e.decision())
                + " by "
                + e.approver()
                + (e.decision() == RunEvent.Decision.EDIT ? " " + oneLine(e.arguments(), 80) : "")
                + (e.message().isBlank() ? "" : ": " + oneLine(e.message(), 80));
        case RunEvent.RunKilled e -> e.reason();
        case RunEvent.RunCancelled e ->
            "by " + e.by() + (e.reason().isBlank() ? "" : ": " + oneLine(e.reason(), 100));
        case RunEvent.ChangeReverted e ->
            e.callId()
                + " "
                + e.toolName()
                + " ← "
                + e.inverseTool()
                + " "
                + oneLine(e.inverseArguments(), 60)
                + " "
                + e.status().name().toLowerCase(Locale.ROOT)
                + " by "
                + e.by()
                + ": "
                + oneLine(e.observation(), 60);
        case RunEvent.ToolCallInDoubt e -> e.callId() + " " + e.toolName() + ": " + e.reason();
        case RunEvent.EvaluationScored e ->
            (e.passed() ? "passed" : "FAILED")
                + " the online checks (sample "
                + e.sample()
                + "): "
                + e.checks().stream()
                    .map(
                        c ->
                            c.check()
                                + (c.passed() ? " ok" : " failed")
                                + (c.passed() ? "" : " (" + oneLine(c.detail(), 200) + ")"))
                    .collect(java.util.stream.Collectors.joining(", "));
        case RunEvent.RunCompleted e -> oneLine(e.answer(), 100);
        case RunEvent.RunFailed e -> e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.reason();
      };
    }
  }
}
