package dev.bridle.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.control.Notifier.Notification;
import dev.bridle.core.guard.Redactor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Slack-compatible body of one webhook message: {@code text} (the fallback line) and {@code
 * blocks} (a section with the heading and text, a section with the link, a context line with the
 * workflow, run and tool). Every text a run wrote is redacted; Slack's control characters are
 * escaped.
 */
final class SlackMessage {

  /** At most this many characters of a notification's text go out. */
  static final int MAX_TEXT_CHARS = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessage() {}

  /**
   * The body for {@code notification}; links point into the dashboard at {@code dashboard} (ending
   * in {@code /}), or are left out when it is empty.
   */
  static String of(Notification notification, String dashboard) {
    String heading =
        switch (notification.kind()) {
          case APPROVAL_PENDING -> "Approval pending";
          case AUTONOMOUS_ACTION -> "Autonomous action";
          case BUDGET_ALERT -> "Budget alert";
        };
    String text = Redactor.redact(notification.text(), MAX_TEXT_CHARS);
    String runId = notification.runId().value();
    List<String> lines = new ArrayList<>();
    switch (notification.kind()) {
      case BUDGET_ALERT ->
          lines.add(
              dashboard.isEmpty()
                  ? "Raise it in the workflow file's `budgets:` section if the spending is expected."
                  : link(dashboard + "#/spend", "See the spend"));
      case APPROVAL_PENDING ->
          lines.add(
              dashboard.isEmpty()
                  ? "Decide with `bridle approvals`."
                  : link(dashboard + "#/approvals", "Open the approvals inbox"));
      case AUTONOMOUS_ACTION -> {
        if (notification.undoUntil() == null) {
          lines.add("This action cannot be undone.");
        } else {
          String until =
              DateTimeFormatter.ISO_INSTANT.format(
                  notification.undoUntil().truncatedTo(ChronoUnit.SECONDS));
          String how =
              dashboard.isEmpty()
                  ? "with `bridle revert " + escape(runId) + " --workflow FILE`"
                  : link(
                          dashboard
                              + "#/runs/"
                              + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                                  .replace("+", "%20"),
                          "Undo it from the run")
                      + " or `bridle revert "
                      + escape(runId)
                      + " --workflow FILE`";
          lines.add("Can be undone until " + until + ": " + how + ".");
        }
      }
    }
    String context =
        "workflow `"
            + escape(notification.workflow())
            + "` · run `"
            + escape(runId)
            + "`"
            + (notification.toolName().isEmpty()
                ? ""
                : " · tool `" + escape(notification.toolName()) + "`");
    return body(
        heading + ": " + escape(text),
        "*" + heading + "*\n" + escape(text),
        String.join("\n", lines),
        context);
  }

  /** The body for a control-plane alert; {@code text} is redacted. */
  static String of(AlertKind kind, String text) {
    String redacted = escape(Redactor.redact(text, MAX_TEXT_CHARS));
    return body(kind.title() + ": " + redacted, "*" + kind.title() + "*\n" + redacted, "", "");
  }

  private static String body(String fallback, String main, String action, String context) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", fallback);
    ArrayNode blocks = root.putArray("blocks");
    section(blocks, main);
    if (!action.isEmpty()) {
      section(blocks, action);
    }
    if (!context.isEmpty()) {
      ObjectNode block = blocks.addObject();
      block.put("type", "context");
      ObjectNode element = block.putArray("elements").addObject();
      element.put("type", "mrkdwn");
      element.put("text", context);
    }
    return root.toString();
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    ObjectNode block = blocks.addObject();
    block.put("type", "section");
    ObjectNode text = block.putObject("text");
    text.put("type", "mrkdwn");
    text.put("text", mrkdwn);
  }

  private static String link(String url, String label) {
    return "<" + url + "|" + label + ">";
  }

  /** Slack's three control characters, escaped as Slack asks. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
