package dev.bridle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.journal.EventCodec;
import dev.bridle.core.journal.RunEvent;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Redacts what responses show of runs: tasks, arguments, results, answers, reasons, names. Every
 * text a run or a person wrote goes through the injected redaction (by default {@link
 * dev.bridle.core.guard.pii.PiiDetector}: secrets and personal data become {@code
 * [REDACTED:TYPE]}); identifiers, hashes, enum values and times, which Bridle itself writes and
 * which clients need intact, do not.
 */
final class Redactor {

  /**
   * Top-level fields of a journal event that Bridle writes itself: ids, hashes, names of tools,
   * workflows and models, enum values, times and counters. Everything else, and everything nested,
   * is redacted.
   */
  private static final Set<String> EVENT_STRUCTURE =
      Set.of(
          "type",
          "v",
          "at",
          "step",
          "steps",
          "callId",
          "approvalId",
          "toolName",
          "inverseTool",
          "effect",
          "idempotent",
          "idempotencyKey",
          "status",
          "decision",
          "argumentsHash",
          "policyVersion",
          "workflow",
          "workflowVersion",
          "agent",
          "modelId",
          "definitionHash",
          "kind",
          "expiresAt",
          "onTimeout",
          "fourEyes",
          "verdict",
          "rule",
          "usage",
          "durationMillis",
          "latencyMillis");

  private final UnaryOperator<String> redaction;

  Redactor(UnaryOperator<String> redaction) {
    this.redaction = Objects.requireNonNull(redaction, "redaction");
  }

  /** The text redacted; null stays null. */
  String text(String text) {
    return text == null ? null : redaction.apply(text);
  }

  /** A copy of {@code node} with every string value redacted, at any depth. */
  JsonNode deep(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(redaction.apply(node.asText()));
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        copy.set(field.getKey(), deep(field.getValue()));
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode(array.size());
      for (JsonNode element : array) {
        copy.add(deep(element));
      }
      return copy;
    }
    return node;
  }

  /** The event as {@link EventCodec} writes it, its content redacted and its structure kept. */
  ObjectNode event(RunEvent event) {
    ObjectNode encoded = (ObjectNode) Jsons.parse(EventCodec.encode(event));
    ObjectNode out = encoded.objectNode();
    for (Map.Entry<String, JsonNode> field : encoded.properties()) {
      out.set(
          field.getKey(),
          EVENT_STRUCTURE.contains(field.getKey()) ? field.getValue() : deep(field.getValue()));
    }
    return out;
  }
}
