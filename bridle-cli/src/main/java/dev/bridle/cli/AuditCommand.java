package dev.bridle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.audit.AuditEntry;
import dev.bridle.core.audit.AuditTrail;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.tool.Change;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bridle audit [--workflow NAME] [--since T] [--limit N] [--json]}: every call with an
 * effect, newest first, with the agent that made it, who it acted for, who approved it, what it
 * changed and whether that was reverted. A projection of the run journals.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "The audit trail: every call with an effect, newest first, with its agent, user, approver,"
            + " change and revert.")
final class AuditCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow's runs.")
  String workflow;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only calls at or after TIME: an instant (2025-06-01T09:00:00Z), a date (2025-06-01,"
              + " UTC) or a duration meaning that long ago (2h: the last two hours).")
  String since;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).")
  int limit;

  @Option(names = "--json", description = "Print a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 10_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--limit must be between 1 and 10000, but was " + limit);
    }
    Optional<Instant> from =
        since == null ? Optional.empty() : Optional.of(Since.parse(spec, since, Clock.systemUTC()));
    List<AuditEntry> entries;
    List<ModeChange> modeChanges;
    try (RunStore opened = store.open()) {
      entries = new AuditTrail(opened).query(Optional.ofNullable(workflow), from, limit);
      modeChanges =
          RunStores.deploymentEvidence(opened)
              .modeChanges(Optional.ofNullable(workflow), limit)
              .stream()
              .filter(change -> from.isEmpty() || !change.at().isBefore(from.get()))
              .toList();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      entries.forEach(entry -> array.add(entryJson(entry)));
      out.println(array);
    } else {
      printTable(out, entries);
      printModeChanges(out, modeChanges);
    }
    out.flush();
    return ExitCode.OK;
  }

  /** Operators' mode changes (bridle workflows set-mode), newest first; JSON: workflows history. */
  private static void printModeChanges(PrintWriter out, List<ModeChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    out.println();
    out.println("Mode changes (operator actions; as JSON: bridle workflows history --json):");
    String format = "%-19s  %-24s %-28s %-16s %s%n";
    out.printf(format, "TIME", "WORKFLOW", "MODE", "BY", "REASON");
    for (ModeChange change : changes) {
      out.printf(
          format,
          Since.format(change.at()),
          change.workflow(),
          change.from().map(mode -> mode.name().toLowerCase(java.util.Locale.ROOT)).orElse("file")
              + " → "
              + change.to().name().toLowerCase(java.util.Locale.ROOT)
              + (change.forced() ? " (forced)" : ""),
          change.by(),
          RunsCommand.oneLine(change.reason(), 80));
    }
  }

  private static void printTable(PrintWriter out, List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      out.println("No calls with an effect.");
      return;
    }
    String format = "%-19s  %-42s %-24s %-10s %-20s %-8s %-10s %-12s %-50s %s%n";
    out.printf(
        format,
        "TIME",
        "RUN",
        "UPDATED_BY",
        "USER",
        "TOOL",
        "EFFECT",
        "STATUS",
        "APPROVER",
        "CHANGE",
        "REVERTED");
    for (AuditEntry entry : entries) {
      out.printf(
          format,
          Since.format(entry.at()),
          entry.runId(),
          entry.updatedBy(),
          entry.user(),
          entry.toolName(),
          entry.effect(),
          entry.status(),
          approver(entry),
          change(entry.change()),
          entry.revertedBy() == null
              ? "-"
              : "by " + entry.revertedBy() + " at " + Since.format(entry.revertedAt()));
    }
  }

  private static String approver(AuditEntry entry) {
    if (entry.approver() == null) {
      return "-";
    }
    return entry.decision() == dev.bridle.core.journal.RunEvent.Decision.EDIT
        ? entry.approver() + " (edited)"
        : entry.approver();
  }

  /** {@code resource before→after}, cut to one short line. */
  static String change(Change change) {
    if (change == null) {
      return "-";
    }
    String text =
        change.resource() + " " + compact(change.before()) + "→" + compact(change.after());
    return RunsCommand.oneLine(text, 80);
  }

  private static String compact(JsonNode node) {
    return node == null ? "?" : node.toString();
  }

  static ObjectNode entryJson(AuditEntry entry) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("at", entry.at().toString());
    node.put("runId", entry.runId().value());
    node.put("workflow", entry.workflow());
    node.put("updatedBy", entry.updatedBy());
    node.put("user", entry.user());
    node.put("callId", entry.callId());
    node.put("tool", entry.toolName());
    node.put("effect", entry.effect().name());
    node.set("arguments", ApprovalsCommand.tree(entry.arguments()));
    node.put("status", entry.status());
    node.put("approver", entry.approver());
    node.put(
        "decision",
        entry.decision() == null ? null : entry.decision().name().toLowerCase(Locale.ROOT));
    if (entry.change() == null) {
      node.putNull("change");
    } else {
      ObjectNode change = node.putObject("change");
      change.put("resource", entry.change().resource());
      change.set("before", entry.change().before());
      change.set("after", entry.change().after());
      if (entry.change().inverse() == null) {
        change.putNull("inverse");
      } else {
        ObjectNode inverse = change.putObject("inverse");
        inverse.put("tool", entry.change().inverse().toolName());
        inverse.set("arguments", entry.change().inverse().arguments());
      }
    }
    node.put("revertedBy", entry.revertedBy());
    node.put("revertedAt", entry.revertedAt() == null ? null : entry.revertedAt().toString());
    return node;
  }
}
