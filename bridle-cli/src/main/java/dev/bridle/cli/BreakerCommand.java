package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.control.FallbackQueue;
import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreakerStore;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bridle breaker status|open|close|history|queue}: the quality circuit breakers (DESIGN §5).
 * A breaker that tripped on a workflow's failure rate, or that an operator opened, sends the
 * workflow's new tasks to the human fallback queue until an operator closes it.
 */
@Command(
    name = "breaker",
    mixinStandardHelpOptions = true,
    description =
        "Quality circuit breakers: see them, open or close one by hand, read their log, list the"
            + " tasks that went to the human fallback queue.",
    subcommands = {
      BreakerCommand.Status.class,
      BreakerCommand.Open.class,
      BreakerCommand.Close.class,
      BreakerCommand.History.class,
      BreakerCommand.Queue.class
    })
final class BreakerCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: status, open, close, history, queue");
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show the breakers: open or closed, since when, by whom and why, and the rolling window"
              + " (failures of the samples in it) as last evaluated.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow.")
    String workflow;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      workflow(spec, workflow);
      List<QualityBreaker.Status> statuses;
      try (RunStore opened = store.open()) {
        QualityBreakerStore breakers = RunStores.qualityBreakers(opened);
        statuses =
            workflow == null
                ? breakers.statuses()
                : List.of(
                    breakers
                        .status(workflow)
                        .orElseGet(() -> QualityBreaker.Status.unknown(workflow)));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode array = root.putArray("breakers");
        statuses.forEach(status -> array.add(statusJson(status)));
        out.println(Json.write(root));
      } else if (statuses.isEmpty()) {
        out.println("No quality breaker has recorded anything yet; every workflow is closed.");
      } else {
        for (QualityBreaker.Status status : statuses) {
          printStatus(out, status);
        }
      }
      out.flush();
      return ExitCode.OK;
    }

    private static void printStatus(PrintWriter out, QualityBreaker.Status status) {
      out.println(
          status.workflow()
              + "  "
              + (status.isOpen() ? "OPEN" : "closed")
              + (status.changedBy().isEmpty()
                  ? ""
                  : "  since "
                      + status.changedAt()
                      + " by "
                      + status.changedBy()
                      + (status.reason().isBlank() ? "" : ": " + status.reason())));
      out.println(
          "  window: "
              + status.window().describe()
              + (status.window().samples() == 0 ? "" : " as of " + status.window().asOf()));
      if (!status.rule().isEmpty()) {
        out.println("  rule:   " + status.rule());
      }
      if (status.isOpen()) {
        out.println(
            "  new tasks go to the human fallback queue (bridle breaker queue --workflow "
                + status.workflow()
                + "); close it with: bridle breaker close --workflow "
                + status.workflow());
      }
    }
  }

  @Command(
      name = "open",
      mixinStandardHelpOptions = true,
      description =
          "Open a workflow's breaker by hand: its new tasks go to the human fallback queue until"
              + " someone closes it.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:opened", "1:it was open already; nothing changed", "2:usage error"})
  static final class Open implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", required = true, paramLabel = "NAME")
    String workflow;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
    String reason;

    @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
    String by;

    @Override
    public Integer call() {
      workflow(spec, workflow);
      requireText(spec, "--reason", reason);
      try (RunStore opened = store.open()) {
        QualityBreakerStore breakers = RunStores.qualityBreakers(opened);
        PrintWriter out = spec.commandLine().getOut();
        boolean changed = breakers.open(workflow, KillCommand.who(by), reason);
        if (!changed) {
          out.println(
              breakers.status(workflow).map(QualityBreaker.Status::describe).orElseThrow()
                  + ". Nothing changed.");
          out.flush();
          return ExitCode.FAILED;
        }
        out.println(
            "Opened the quality breaker of workflow "
                + workflow
                + ": its new tasks go to the human fallback queue until someone runs: bridle"
                + " breaker close --workflow "
                + workflow);
        out.flush();
        return ExitCode.OK;
      }
    }
  }

  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      description =
          "Close a workflow's breaker: new tasks go to the agent again, and its window starts"
              + " afresh (failures from before the close no longer count).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:closed", "1:it was not open; nothing changed", "2:usage error"})
  static final class Close implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", required = true, paramLabel = "NAME")
    String workflow;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why.")
    String reason;

    @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
    String by;

    @Override
    public Integer call() {
      workflow(spec, workflow);
      try (RunStore opened = store.open()) {
        QualityBreakerStore breakers = RunStores.qualityBreakers(opened);
        PrintWriter out = spec.commandLine().getOut();
        if (!breakers.close(workflow, KillCommand.who(by), reason)) {
          out.println(
              "The quality breaker of workflow " + workflow + " was not open; nothing changed.");
          out.flush();
          return ExitCode.FAILED;
        }
        out.println(
            "Closed the quality breaker of workflow "
                + workflow
                + ": new tasks go to the agent again. Tasks already in the fallback queue stay"
                + " there: see bridle breaker queue --workflow "
                + workflow);
        out.flush();
        return ExitCode.OK;
      }
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "Every trip, open and close, newest first, with who, when and why.")
  static final class History implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow.")
    String workflow;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1 || limit > QualityBreakerStore.MAX_HISTORY) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--limit must be between 1 and "
                + QualityBreakerStore.MAX_HISTORY
                + ", but was "
                + limit);
      }
      workflow(spec, workflow);
      List<QualityBreaker.LogEntry> entries;
      try (RunStore opened = store.open()) {
        QualityBreakerStore breakers = RunStores.qualityBreakers(opened);
        entries = workflow == null ? breakers.history(limit) : breakers.history(workflow, limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (QualityBreaker.LogEntry entry : entries) {
          array
              .addObject()
              .put("seq", entry.seq())
              .put("action", entry.action().name())
              .put("workflow", entry.workflow())
              .put("by", entry.by())
              .put("reason", entry.reason())
              .put("at", entry.at().toString());
        }
        out.println(Json.write(array));
      } else if (entries.isEmpty()) {
        out.println("No breaker has tripped, opened or closed yet.");
      } else {
        for (QualityBreaker.LogEntry entry : entries) {
          out.printf(
              "%5d  %s  %-5s  %-20s by %s%s%n",
              entry.seq(),
              entry.at(),
              entry.action().name().toLowerCase(Locale.ROOT),
              entry.workflow(),
              entry.by(),
              entry.reason().isBlank() ? "" : ": " + entry.reason());
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "queue",
      mixinStandardHelpOptions = true,
      description =
          "List the human fallback queue: runs handed to a person instead of answered by the agent"
              + " (diverted by an open breaker, or escalated by a guard), newest first.")
  static final class Queue implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow.")
    String workflow;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1 || limit > FallbackQueue.MAX_LIMIT) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--limit must be between 1 and " + FallbackQueue.MAX_LIMIT + ", but was " + limit);
      }
      workflow(spec, workflow);
      List<FallbackQueue.Item> items;
      try (RunStore opened = store.open()) {
        FallbackQueue queue = new FallbackQueue(opened);
        items = workflow == null ? queue.list(limit) : queue.list(workflow, limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (FallbackQueue.Item item : items) {
          array
              .addObject()
              .put("runId", item.runId().value())
              .put("workflow", item.workflow())
              .put("user", item.user())
              .put("task", item.task())
              .put("guard", item.guard())
              .put("byQualityBreaker", item.byQualityBreaker())
              .put("reason", item.reason())
              .put("escalatedAt", item.escalatedAt().toString());
        }
        out.println(Json.write(array));
      } else if (items.isEmpty()) {
        out.println("The fallback queue is empty.");
      } else {
        for (FallbackQueue.Item item : items) {
          out.println(
              item.runId()
                  + "  "
                  + item.workflow()
                  + "  for "
                  + item.user()
                  + "  at "
                  + item.escalatedAt()
                  + "  "
                  + (item.byQualityBreaker() ? "breaker open" : "escalated by " + item.guard()));
          out.println("  task: " + RunsCommand.oneLine(item.task(), 100));
        }
        out.println(
            "Each task is kept in its run (bridle runs show RUN_ID) and can be run again once the"
                + " breaker is closed.");
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static ObjectNode statusJson(QualityBreaker.Status status) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("workflow", status.workflow());
    node.put("state", status.state().name());
    node.put("changedBy", status.changedBy());
    node.put("reason", status.reason());
    node.put("changedAt", status.changedAt().toString());
    node.put("windowStart", status.windowStart().toString());
    ObjectNode window = node.putObject("window");
    window.put("samples", status.window().samples());
    window.put("failures", status.window().failures());
    window.put("failureRate", status.window().failureRate());
    window.put("asOf", status.window().asOf().toString());
    node.put("rule", status.rule());
    return node;
  }

  /** {@code name} if it is a workflow name a breaker can have, else a usage error. */
  private static String workflow(CommandLine.Model.CommandSpec spec, String name) {
    if (name == null) {
      return null;
    }
    try {
      return QualityBreakerStore.requireWorkflow(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--workflow: " + e.getMessage());
    }
  }

  private static void requireText(CommandLine.Model.CommandSpec spec, String option, String value) {
    if (value == null || value.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + " must say something, but was blank");
    }
  }
}
