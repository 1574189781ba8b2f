package dev.bridle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.audit.AuditEntry;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.Usage;
import dev.bridle.core.run.Reverter;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.core.tool.Change;
import dev.bridle.server.auth.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of the API, built field by field: what a person or a run wrote is redacted, what
 * Bridle wrote (ids, hashes, enum values, times, counters) is shown as is.
 */
final class Views {

  private final Redactor redactor;

  Views(Redactor redactor) {
    this.redactor = redactor;
  }

  ObjectNode run(RunSummary run) {
    ObjectNode node = Jsons.object();
    node.put("id", run.runId().value());
    node.put("workflow", run.workflow());
    node.put("workflowVersion", run.workflowVersion());
    node.put("user", redactor.text(run.user()));
    node.put("status", run.status().name());
    node.put("createdAt", time(run.createdAt()));
    node.put("updatedAt", time(run.updatedAt()));
    node.put("steps", run.steps());
    node.set("usage", usage(run.usage()));
    node.put("task", redactor.text(run.task()));
    node.put("lastSeq", run.lastSeq());
    return node;
  }

  ObjectNode toolCall(ToolCallSummary call) {
    ObjectNode node = Jsons.object();
    node.put("callId", call.callId());
    node.put("toolName", call.name());
    node.put("arguments", redactor.text(call.arguments()));
    node.put("status", call.status());
    return node;
  }

  ObjectNode entry(JournalEntry entry) {
    ObjectNode node = Jsons.object();
    node.put("seq", entry.seq());
    node.set("event", redactor.event(entry.event()));
    return node;
  }

  ObjectNode approval(ApprovalItem item, boolean pending) {
    ObjectNode node = Jsons.object();
    node.put("id", item.id());
    node.put("runId", item.runId().value());
    node.put("callId", item.callId());
    node.put("pending", pending);
    node.put("kind", item.kind().name());
    node.put("workflow", item.workflow());
    node.put("workflowVersion", item.workflowVersion());
    node.put("agent", item.agent());
    node.put("requester", redactor.text(item.requester()));
    node.put("toolName", item.toolName());
    node.put("arguments", redactor.text(item.arguments()));
    node.put("argumentsHash", item.argumentsHash());
    node.put("policyVersion", item.policyVersion());
    node.put("reason", redactor.text(item.reason()));
    node.put("preview", redactor.text(item.preview()));
    node.put("requestedAt", time(item.requestedAt()));
    node.put("expiresAt", time(item.expiresAt()));
    node.put("onTimeout", item.onTimeout() == null ? null : item.onTimeout().name());
    node.put("fourEyes", item.fourEyes());
    ObjectNode context = node.putObject("context");
    context.put("task", redactor.text(item.context().task()));
    ArrayNode tried = context.putArray("tried");
    item.context().tried().forEach(call -> tried.add(toolCall(call)));
    ArrayNode gathered = context.putArray("gathered");
    for (ApprovalItem.Gathered g : item.context().gathered()) {
      ObjectNode one = gathered.addObject();
      one.put("toolName", g.toolName());
      one.put("result", redactor.text(g.result()));
    }
    return node;
  }

  ObjectNode decided(RunEvent.ApprovalDecided decided) {
    ObjectNode node = Jsons.object();
    node.put("approvalId", decided.approvalId());
    node.put("callId", decided.callId());
    node.put("decision", decided.decision().name());
    node.put("approver", redactor.text(decided.approver()));
    node.put("argumentsHash", decided.argumentsHash());
    node.put("policyVersion", decided.policyVersion());
    node.put("at", time(decided.at()));
    return node;
  }

  ObjectNode audit(AuditEntry entry) {
    ObjectNode node = Jsons.object();
    node.put("at", time(entry.at()));
    node.put("runId", entry.runId().value());
    node.put("workflow", entry.workflow());
    node.put("updatedBy", entry.updatedBy());
    node.put("user", redactor.text(entry.user()));
    node.put("callId", entry.callId());
    node.put("toolName", entry.toolName());
    node.put("effect", entry.effect().name());
    node.put("arguments", redactor.text(entry.arguments()));
    node.put("status", entry.status());
    node.put("approver", redactor.text(entry.approver()));
    node.put("decision", entry.decision() == null ? null : entry.decision().name());
    node.set("change", change(entry.change()));
    node.put("revertedBy", redactor.text(entry.revertedBy()));
    node.put("revertedAt", time(entry.revertedAt()));
    return node;
  }

  private JsonNode change(Change change) {
    if (change == null) {
      return Jsons.object().nullNode();
    }
    ObjectNode node = Jsons.object();
    node.put("resource", redactor.text(change.resource()));
    node.set("before", redactor.deep(change.before()));
    node.set("after", redactor.deep(change.after()));
    if (change.inverse() == null) {
      node.putNull("inverse");
    } else {
      ObjectNode inverse = node.putObject("inverse");
      inverse.put("toolName", change.inverse().toolName());
      inverse.set("arguments", redactor.deep(change.inverse().arguments()));
    }
    return node;
  }

  ObjectNode kill(KillSwitch.Kill kill) {
    ObjectNode node = Jsons.object();
    node.put("scope", kill.scope().name().toLowerCase(Locale.ROOT));
    node.put("target", kill.target());
    node.put("by", redactor.text(kill.by()));
    node.put("reason", redactor.text(kill.reason()));
    node.put("at", time(kill.at()));
    return node;
  }

  ObjectNode revert(Reverter.Report report) {
    ObjectNode node = Jsons.object();
    node.put("complete", report.complete());
    ArrayNode reverted = node.putArray("reverted");
    for (Reverter.Reverted r : report.reverted()) {
      ObjectNode one = reverted.addObject();
      one.put("runId", r.runId().value());
      one.put("callId", r.callId());
      one.put("toolName", r.toolName());
      one.put("inverseTool", r.inverseTool());
      one.put("status", r.status().name());
      one.put("observation", redactor.text(r.observation()));
    }
    ArrayNode notReverted = node.putArray("notReverted");
    for (Reverter.NotReverted n : report.notReverted()) {
      ObjectNode one = notReverted.addObject();
      one.put("runId", n.runId().value());
      one.put("callId", n.callId());
      one.put("toolName", n.toolName());
      one.put("why", redactor.text(n.why()));
    }
    return node;
  }

  /** A token without its secret (which the server does not have). */
  ObjectNode token(ApiToken token) {
    ObjectNode node = Jsons.object();
    node.put("id", token.id());
    node.put("principal", token.principal());
    node.put("role", token.role().label());
    node.put("createdAt", time(token.createdAt()));
    node.put("lastUsedAt", token.lastUsedAt().map(Views::time).orElse(null));
    node.put("revokedAt", token.revokedAt().map(Views::time).orElse(null));
    return node;
  }

  static ObjectNode usage(Usage usage) {
    ObjectNode node = Jsons.object();
    node.put("inputTokens", usage.inputTokens());
    node.put("outputTokens", usage.outputTokens());
    node.put("cachedInputTokens", usage.cachedInputTokens());
    return node;
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = Jsons.array();
    values.forEach(array::add);
    return array;
  }

  static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
