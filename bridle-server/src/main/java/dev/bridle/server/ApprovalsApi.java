package dev.bridle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The approvals inbox: list the pending items, show one, decide one. An item's id is {@code
 * <runId>/<callId>}; in paths it is two segments, {@code /approvals/{runId}/{callId}}. The approver
 * is always the authenticated caller, never a field of the request.
 */
final class ApprovalsApi {

  private static final int MAX_MESSAGE_CHARS = 4_000;
  private static final int MAX_ARGUMENTS_CHARS = 64_000;

  private final ServerContext server;

  ApprovalsApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/v1/approvals", Access.VIEWER, this::list),
        Route.get("/api/v1/approvals/{runId}/{callId}", Access.VIEWER, this::show),
        Route.post("/api/v1/approvals/{runId}/{callId}/decision", Access.APPROVER, this::decide));
  }

  private Approvals approvals() {
    return new Approvals(server.store(), server.workflows()::agent, server.clock());
  }

  /** {@code GET /approvals?limit}: pending items, oldest first. */
  private void list(Context ctx) {
    int limit = Requests.limit(ctx, 100, 1_000);
    ArrayNode items = Jsons.array();
    approvals().pending().stream()
        .limit(limit)
        .forEach(item -> items.add(server.views().approval(item, true)));
    ObjectNode out = Jsons.object();
    out.set("approvals", items);
    Responses.ok(ctx, out);
  }

  /** {@code GET /approvals/{runId}/{callId}}: one item, pending or decided. */
  private void show(Context ctx) {
    String id = approvalId(ctx);
    Approvals approvals = approvals();
    ApprovalItem item;
    try {
      item = approvals.find(id).orElseThrow(() -> ApiException.notFound("no approval " + id));
    } catch (ApprovalException e) {
      throw refusal(e);
    }
    boolean pending =
        approvals.pendingFor(item.runId()).stream().anyMatch(p -> p.id().equals(item.id()));
    Responses.ok(ctx, server.views().approval(item, pending));
  }

  /**
   * {@code POST /approvals/{runId}/{callId}/decision {decision, arguments?, message?}}: approve,
   * edit (new arguments, checked against the tool's schema and the policy), reject (message: why)
   * or respond (message: the answer in place of the tool's).
   */
  private void decide(Context ctx) {
    String id = approvalId(ctx);
    ObjectNode body = Requests.body(ctx, Set.of("decision", "arguments", "message"));
    RunEvent.Decision decision = decision(Requests.requiredText(body, "decision", 16));
    Optional<String> arguments = arguments(body.get("arguments"));
    if (arguments.isPresent() && decision != RunEvent.Decision.EDIT) {
      throw ApiException.invalid(
          "arguments", "arguments are given only with the decision edit, not " + label(decision));
    }
    if (arguments.isEmpty() && decision == RunEvent.Decision.EDIT) {
      throw ApiException.invalid("arguments", "an edit needs the new arguments (a JSON object)");
    }
    String message = Requests.optionalText(body, "message", MAX_MESSAGE_CHARS).orElse("");
    RunEvent.ApprovalDecided decided;
    try {
      decided =
          approvals()
              .decide(
                  id,
                  decision,
                  arguments.orElse(null),
                  message,
                  Authenticator.caller(ctx).principal());
    } catch (ApprovalException e) {
      throw refusal(e);
    } catch (JournalConflictException e) {
      throw ApiException.conflict(
          "approval " + id + " could not be recorded: the run kept changing; try again");
    }
    Responses.ok(ctx, server.views().decided(decided));
  }

  private static String approvalId(Context ctx) {
    String runId = ctx.pathParam("runId");
    try {
      RunId.of(runId);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("runId", e.getMessage());
    }
    String callId = ctx.pathParam("callId");
    if (callId.isBlank() || callId.length() > 256) {
      throw ApiException.invalid("callId", "callId must be 1 to 256 characters");
    }
    return runId + "/" + callId;
  }

  private static RunEvent.Decision decision(String text) {
    try {
      return RunEvent.Decision.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "decision",
          "decision must be one of approve, edit, reject, respond, but was '" + text + "'");
    }
  }

  /** The edited arguments: a JSON object, or its text. */
  private static Optional<String> arguments(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    String text;
    if (node.isObject()) {
      text = Jsons.text(node);
    } else if (node.isTextual()) {
      text = node.asText();
    } else {
      throw ApiException.invalid(
          "arguments",
          "arguments must be a JSON object (or its text), but was " + node.getNodeType());
    }
    if (text.length() > MAX_ARGUMENTS_CHARS) {
      throw ApiException.invalid(
          "arguments", "arguments must be at most " + MAX_ARGUMENTS_CHARS + " characters");
    }
    return Optional.of(text);
  }

  private static String label(RunEvent.Decision decision) {
    return decision.name().toLowerCase(Locale.ROOT);
  }

  /** An {@link ApprovalException} as the status and error code a client can act on. */
  static ApiException refusal(ApprovalException e) {
    return switch (e.reason()) {
      case NOT_FOUND -> new ApiException(404, "not_found", e.getMessage());
      case ALREADY_DECIDED -> new ApiException(409, "already_decided", e.getMessage());
      case FOUR_EYES -> new ApiException(403, "four_eyes", e.getMessage());
      case INVALID_EDIT -> new ApiException(422, "invalid_edit", e.getMessage());
      case INVALID_DECISION -> new ApiException(422, "invalid_decision", e.getMessage());
      case WORKFLOW_UNKNOWN -> new ApiException(409, "workflow_unknown", e.getMessage());
    };
  }
}
