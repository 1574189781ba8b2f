package dev.bridle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.run.ToolCallSummary;
import java.io.IOException;
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

/**
 * {@code bridle approvals list|show|approve|reject|respond}: the approvals inbox. Items are calls
 * that policy sent to a human, and calls in doubt after a crash; each shows its escalation context
 * (the task, what the agent tried and gathered, why it escalated, a preview of the effect).
 */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    description = "The approvals inbox: list, show and decide calls that wait for a human.",
    subcommands = {
      ApprovalsCommand.ListItems.class,
      ApprovalsCommand.ShowItem.class,
      ApprovalDecisions.Approve.class,
      ApprovalDecisions.Reject.class,
      ApprovalDecisions.Respond.class
    })
final class ApprovalsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: list, show, approve, reject, respond");
  }

  /**
   * The exit code of a refused decision: 2 when the command can be fixed (an unknown id, an edit
   * that does not validate, a decision that does not fit the item, a workflow not given), 1 when
   * the state refuses it (decided already, four eyes).
   */
  static int exitCode(ApprovalException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND, INVALID_EDIT, INVALID_DECISION, WORKFLOW_UNKNOWN -> ExitCode.USAGE;
      case ALREADY_DECIDED, FOUR_EYES -> ExitCode.FAILED;
    };
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the pending items, oldest first. Items past their timeout get the workflow's"
              + " default decision first, and the list says so.")
  static final class ListItems implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--json",
        description = "Print {\"expired\": [decisions], \"pending\": [items]} instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      List<RunEvent.ApprovalDecided> expired;
      List<ApprovalItem> pending;
      try (RunStore opened = store.open()) {
        Approvals approvals = new Approvals(opened, name -> Optional.empty(), Clock.systemUTC());
        expired = approvals.expire();
        pending = approvals.pending();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode expiredJson = node.putArray("expired");
        expired.forEach(decided -> expiredJson.add(decisionJson(decided)));
        ArrayNode pendingJson = node.putArray("pending");
        pending.forEach(item -> pendingJson.add(itemJson(item)));
        out.println(node);
      } else {
        for (RunEvent.ApprovalDecided decided : expired) {
          out.println(
              "Expired "
                  + decided.approvalId()
                  + ": no decision within its timeout, so the workflow's default applied: "
                  + decided.decision().name().toLowerCase(Locale.ROOT));
        }
        printTable(out, pending);
      }
      out.flush();
      return ExitCode.OK;
    }

    private static void printTable(PrintWriter out, List<ApprovalItem> items) {
      if (items.isEmpty()) {
        out.println("No pending approvals.");
        return;
      }
      out.printf(
          "%-52s %-8s %-20s %-12s %-19s  %-19s  %s%n",
          "ID", "KIND", "TOOL", "REQUESTER", "REQUESTED", "EXPIRES", "WHY");
      for (ApprovalItem item : items) {
        out.printf(
            "%-52s %-8s %-20s %-12s %-19s  %-19s  %s%n",
            item.id(),
            kind(item),
            item.toolName(),
            item.requester(),
            Since.format(item.requestedAt()),
            item.expiresAt() == null ? "never" : Since.format(item.expiresAt()),
            RunsCommand.oneLine(item.reason(), 80));
      }
      out.println("Show one with its context: bridle approvals show ID");
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Show one item with its escalation context: the task, the calls tried, the results"
              + " gathered, why it escalated, a preview of the effect, and when it expires.")
  static final class ShowItem implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "APPROVAL_ID", description = "<runId>/<callId>")
    String approvalId;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      ApprovalItem item;
      boolean pending;
      Optional<RunEvent.ApprovalDecided> decided;
      try (RunStore opened = store.open()) {
        Approvals approvals = new Approvals(opened, name -> Optional.empty(), Clock.systemUTC());
        item =
            approvals
                .find(approvalId)
                .orElseThrow(
                    () ->
                        new ApprovalException(
                            ApprovalException.Reason.NOT_FOUND, "no approval " + approvalId));
        pending =
            approvals.pendingFor(item.runId()).stream().anyMatch(i -> i.id().equals(item.id()));
        decided = lastDecision(opened.read(item.runId()), item.callId());
      }
      String status = pending ? "pending" : decided.isPresent() ? "decided" : "closed";
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode node = itemJson(item);
        node.put("status", status);
        if (decided.isPresent()) {
          node.set("decision", decisionJson(decided.get()));
        } else {
          node.putNull("decision");
        }
        out.println(node);
      } else {
        printItem(out, item, status, decided);
      }
      out.flush();
      return ExitCode.OK;
    }

    private static Optional<RunEvent.ApprovalDecided> lastDecision(
        List<JournalEntry> entries, String callId) {
      RunEvent.ApprovalDecided last = null;
      for (JournalEntry entry : entries) {
        switch (entry.event()) {
          case RunEvent.ApprovalRequested e when e.callId().equals(callId) -> last = null;
          case RunEvent.ToolCallInDoubt e when e.callId().equals(callId) -> last = null;
          case RunEvent.ApprovalDecided e when e.callId().equals(callId) -> last = e;
          default -> {}
        }
      }
      return Optional.ofNullable(last);
    }

    private static void printItem(
        PrintWriter out,
        ApprovalItem item,
        String status,
        Optional<RunEvent.ApprovalDecided> decided) {
      out.println("Approval " + item.id() + "  " + status);
      out.println(
          "Kind:       "
              + (item.kind() == ApprovalItem.Kind.APPROVAL
                  ? "approval: policy asks a human before the call runs"
                  : "in doubt: the call started and the run stopped before its result was"
                      + " recorded; did it happen?"));
      out.println(
          "Run:        "
              + item.runId()
              + "  "
              + item.workflow()
              + "@"
              + item.workflowVersion()
              + ", acting as "
              + item.agent()
              + " for "
              + item.requester());
      out.println("Requested:  " + item.requestedAt());
      out.println("Tool:       " + item.toolName());
      out.println("Arguments:  " + item.arguments());
      out.println("Why:        " + item.reason());
      out.println("Preview:");
      item.preview().lines().forEach(line -> out.println("  " + line));
      out.println(
          "Expires:    "
              + (item.expiresAt() == null
                  ? "never: a call in doubt waits for a person"
                  : item.expiresAt()
                      + ", then the workflow's default applies: "
                      + item.onTimeout().name().toLowerCase(Locale.ROOT)));
      if (item.fourEyes()) {
        out.println("Four eyes:  the approver must not be " + item.requester());
      }
      if (!item.policyVersion().isEmpty()) {
        out.println("Policy:     version " + item.policyVersion());
      }
      ApprovalItem.Context context = item.context();
      out.println("Task:       " + RunsCommand.oneLine(context.task(), 300));
      out.println("Tried:" + (context.tried().isEmpty() ? "      nothing yet" : ""));
      int n = 1;
      for (ToolCallSummary call : context.tried()) {
        out.printf(
            "  %d. %s %s  → %s%n",
            n++, call.name(), RunsCommand.oneLine(call.arguments(), 100), call.status());
      }
      out.println("Gathered:" + (context.gathered().isEmpty() ? "   nothing yet" : ""));
      for (ApprovalItem.Gathered gathered : context.gathered()) {
        out.println(
            "  " + gathered.toolName() + ": " + RunsCommand.oneLine(gathered.result(), 200));
      }
      if (decided.isPresent()) {
        RunEvent.ApprovalDecided d = decided.get();
        out.println(
            "Decided:    "
                + d.decision().name().toLowerCase(Locale.ROOT)
                + " by "
                + d.approver()
                + " at "
                + d.at()
                + (d.message().isBlank() ? "" : ": " + d.message()));
      } else if (status.equals("pending")) {
        out.println("Decide:");
        out.println("  bridle approvals approve " + item.id() + " [--args JSON] --workflow FILE");
        out.println("  bridle approvals reject " + item.id() + " --reason TEXT --workflow FILE");
        out.println("  bridle approvals respond " + item.id() + " --text TEXT --workflow FILE");
      } else {
        out.println("Closed:     the run ended before a decision");
      }
    }
  }

  /** {@code approval} or {@code in doubt}. */
  static String kind(ApprovalItem item) {
    return item.kind() == ApprovalItem.Kind.APPROVAL ? "approval" : "in doubt";
  }

  static ObjectNode itemJson(ApprovalItem item) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", item.id());
    node.put("runId", item.runId().value());
    node.put("callId", item.callId());
    node.put("kind", item.kind().name().toLowerCase(Locale.ROOT));
    node.put("workflow", item.workflow());
    node.put("workflowVersion", item.workflowVersion());
    node.put("agent", item.agent());
    node.put("requester", item.requester());
    node.put("tool", item.toolName());
    node.set("arguments", tree(item.arguments()));
    node.put("argumentsHash", item.argumentsHash());
    node.put("policyVersion", item.policyVersion());
    node.put("reason", item.reason());
    node.put("preview", item.preview());
    node.put("requestedAt", item.requestedAt().toString());
    if (item.expiresAt() == null) {
      node.putNull("expiresAt");
    } else {
      node.put("expiresAt", item.expiresAt().toString());
    }
    node.put("onTimeout", item.onTimeout().name().toLowerCase(Locale.ROOT));
    node.put("fourEyes", item.fourEyes());
    ObjectNode context = node.putObject("context");
    context.put("task", item.context().task());
    ArrayNode tried = context.putArray("tried");
    for (ToolCallSummary call : item.context().tried()) {
      ObjectNode entry = tried.addObject();
      entry.put("callId", call.callId());
      entry.put("tool", call.name());
      entry.set("arguments", tree(call.arguments()));
      entry.put("status", call.status());
    }
    ArrayNode gathered = context.putArray("gathered");
    for (ApprovalItem.Gathered result : item.context().gathered()) {
      ObjectNode entry = gathered.addObject();
      entry.put("tool", result.toolName());
      entry.put("result", result.result());
    }
    return node;
  }

  static ObjectNode decisionJson(RunEvent.ApprovalDecided decided) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("approvalId", decided.approvalId());
    node.put("decision", decided.decision().name().toLowerCase(Locale.ROOT));
    node.put("approver", decided.approver());
    node.put("at", decided.at().toString());
    node.set("arguments", tree(decided.arguments()));
    node.put("message", decided.message());
    return node;
  }

  /** A JSON text as a tree, or as a string when it is not JSON. */
  static JsonNode tree(String json) {
    try {
      JsonNode tree = Json.MAPPER.readTree(json);
      return tree == null || tree.isMissingNode()
          ? Json.MAPPER.getNodeFactory().textNode(json)
          : tree;
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }

  /** What a decision does, in words. */
  static String describe(Decision decision) {
    return switch (decision) {
      case APPROVE -> "approved";
      case EDIT -> "approved with edited arguments";
      case REJECT -> "rejected";
      case RESPOND -> "answered in place of the tool";
    };
  }
}
