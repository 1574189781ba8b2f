package dev.bridle.eval.correction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the calls a person corrected (approvals decided {@link Decision#EDIT} or {@link
 * Decision#REJECT}) in a store's runs and makes each a suite case tagged {@code correction}:
 *
 * <ul>
 *   <li>{@code task}: the run's task.
 *   <li>{@code script}: the calls the model made up to the corrected one, with the person's
 *       corrections applied (edited arguments; rejected calls left out); for an edit, the turn with
 *       the edited call, then the run's final answer (or {@code Done.}); for a rejection, the calls
 *       of that turn before the rejected one, then an answer saying it was not done.
 *   <li>{@code human: approve-all}, and {@code expect}: the script's calls in order with their
 *       (corrected) arguments; for a rejection, the rejected tool in {@code no-calls}.
 * </ul>
 *
 * Decisions the approval timeout took ({@code system:timeout}) and edits that changed nothing are
 * not corrections. The case's fixtures are left empty: it runs on its tool providers' sample data.
 */
public final class Corrections {

  /** The tag every exported case carries. */
  public static final String TAG = "correction";

  /** The approver the approval timeout decides as. */
  static final String TIMEOUT_APPROVER = "system:timeout";

  private static final int MAX_ID = 80;

  private Corrections() {}

  /** The corrections in the runs {@code query} selects, oldest run first. */
  public static List<Correction> find(RunStore store, RunQuery query) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(query, "query");
    List<Correction> found = new ArrayList<>();
    for (RunSummary run : store.list(query).reversed()) {
      found.addAll(inRun(run.runId(), store.read(run.runId())));
    }
    return found;
  }

  /** The corrections in one run's journal, in the order they were decided. */
  public static List<Correction> inRun(RunId runId, List<JournalEntry> journal) {
    String task = null;
    String finalAnswer = null;
    List<ChatMessage.Assistant> turns = new ArrayList<>();
    Map<String, RunEvent.ApprovalDecided> decisions = new LinkedHashMap<>();
    Map<String, String> proposed = new LinkedHashMap<>();
    for (JournalEntry entry : journal) {
      switch (entry.event()) {
        case RunEvent.RunStarted e -> task = e.task();
        case RunEvent.ModelResponded e -> turns.add(e.message());
        case RunEvent.ApprovalRequested e -> proposed.put(e.callId(), e.arguments());
        case RunEvent.ApprovalDecided e -> decisions.put(e.callId(), e);
        case RunEvent.RunCompleted e -> finalAnswer = e.answer();
        default -> {}
      }
    }
    if (task == null) {
      return List.of();
    }
    List<Correction> corrections = new ArrayList<>();
    for (RunEvent.ApprovalDecided decided : decisions.values()) {
      if (isCorrection(decided, proposed.get(decided.callId()))) {
        correction(runId, task, finalAnswer, turns, decisions, decided).ifPresent(corrections::add);
      }
    }
    return corrections;
  }

  private static boolean isCorrection(RunEvent.ApprovalDecided decided, String proposedArguments) {
    if (decided.approver().equals(TIMEOUT_APPROVER)) {
      return false;
    }
    return switch (decided.decision()) {
      case REJECT -> true;
      case EDIT ->
          proposedArguments == null
              || !Json.canonical(Json.tree(proposedArguments))
                  .equals(Json.canonical(Json.tree(decided.arguments())));
      case APPROVE, RESPOND -> false;
    };
  }

  private static Optional<Correction> correction(
      RunId runId,
      String task,
      String finalAnswer,
      List<ChatMessage.Assistant> turns,
      Map<String, RunEvent.ApprovalDecided> decisions,
      RunEvent.ApprovalDecided corrected) {
    int at = turnOf(turns, corrected.callId());
    if (at < 0) {
      return Optional.empty();
    }
    List<List<ToolCall>> script = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int t = 0; t < at; t++) {
      ChatMessage.Assistant turn = turns.get(t);
      if (!turn.hasToolCalls()) {
        // an answer a guard sent back: played again, it is sent back again
        script.add(List.of());
        texts.add(turn.text());
        continue;
      }
      List<ToolCall> kept = applied(turn.toolCalls(), decisions);
      if (!kept.isEmpty()) {
        script.add(kept);
        texts.add(null);
      }
    }
    String tool = "";
    List<ToolCall> last = new ArrayList<>();
    for (ToolCall call : turns.get(at).toolCalls()) {
      if (call.id().equals(corrected.callId())) {
        tool = call.name();
        if (corrected.decision() == Decision.EDIT) {
          last.add(new ToolCall(call.id(), call.name(), corrected.arguments()));
          continue;
        }
        break;
      }
      last.addAll(applied(List.of(call), decisions));
    }
    if (corrected.decision() == Decision.EDIT) {
      // the calls after the edited one in its turn were made too
      List<ToolCall> calls = turns.get(at).toolCalls();
      int index = indexOf(calls, corrected.callId());
      last.addAll(applied(calls.subList(index + 1, calls.size()), decisions));
    }
    if (!last.isEmpty()) {
      script.add(last);
      texts.add(null);
    }
    String answer =
        corrected.decision() == Decision.EDIT
            ? (finalAnswer == null || finalAnswer.isBlank() ? "Done." : finalAnswer)
            : "I did not run "
                + tool
                + ": a reviewer rejected it"
                + (corrected.message().isBlank() ? "." : " (" + corrected.message() + ").");
    String caseId = caseId(runId, corrected.callId());
    ObjectNode suiteCase = suiteCase(caseId, runId, task, script, texts, answer, corrected, tool);
    return Optional.of(
        new Correction(
            caseId, runId, corrected.approvalId(), corrected.decision(), tool, suiteCase));
  }

  /** Calls as they ran: an edited call with its edit, a rejected one left out. */
  private static List<ToolCall> applied(
      List<ToolCall> calls, Map<String, RunEvent.ApprovalDecided> decisions) {
    List<ToolCall> kept = new ArrayList<>();
    for (ToolCall call : calls) {
      RunEvent.ApprovalDecided decided = decisions.get(call.id());
      if (decided == null || decided.decision() == Decision.APPROVE) {
        kept.add(call);
      } else if (decided.decision() == Decision.EDIT) {
        kept.add(new ToolCall(call.id(), call.name(), decided.arguments()));
      }
    }
    return kept;
  }

  private static ObjectNode suiteCase(
      String caseId,
      RunId runId,
      String task,
      List<List<ToolCall>> script,
      List<String> texts,
      String answer,
      RunEvent.ApprovalDecided corrected,
      String tool) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", caseId);
    node.putArray("tags").add(TAG);
    node.put(
        "description",
        "From run "
            + runId
            + ": "
            + corrected.approver()
            + (corrected.decision() == Decision.EDIT ? " edited " : " rejected ")
            + tool
            + " ("
            + corrected.approvalId()
            + ")"
            + (corrected.message().isBlank() ? "" : ": " + corrected.message()));
    node.put("task", task);
    ArrayNode turns = node.putArray("script");
    ArrayNode expected = Json.MAPPER.createArrayNode();
    boolean rejectedToolCalled = false;
    for (int i = 0; i < script.size(); i++) {
      List<ToolCall> calls = script.get(i);
      if (calls.isEmpty()) {
        turns.addObject().put("say", texts.get(i));
        continue;
      }
      ArrayNode list = Json.MAPPER.createArrayNode();
      for (ToolCall call : calls) {
        ObjectNode entry = list.addObject().put("tool", call.name());
        JsonNode arguments = Json.tree(call.arguments());
        ObjectNode expectation = expected.addObject().put("tool", call.name());
        if (arguments.isObject()) {
          entry.set("args", arguments);
          expectation.set("args", arguments.deepCopy());
        } else {
          entry.put("raw-args", call.arguments());
        }
        rejectedToolCalled |= call.name().equals(tool);
      }
      if (list.size() == 1) {
        ObjectNode single = turns.addObject().put("call", list.get(0).get("tool").asText());
        if (list.get(0).has("args")) {
          single.set("args", list.get(0).get("args"));
        } else {
          single.set("raw-args", list.get(0).get("raw-args"));
        }
      } else {
        turns.addObject().set("calls", list);
      }
    }
    turns.addObject().put("say", answer);
    node.put("human", "approve-all");
    ObjectNode expect = node.putObject("expect");
    if (!expected.isEmpty()) {
      expect.set("tool-calls", expected);
    }
    if (corrected.decision() == Decision.REJECT && !rejectedToolCalled) {
      expect.putArray("no-calls").add(tool);
    }
    if (expect.isEmpty()) {
      expect.put("outcome", "completed");
    }
    return node;
  }

  /**
   * {@code correction-<runId>.<callId>}, characters outside {@code [A-Za-z0-9._-]} replaced by
   * {@code -}; cut and suffixed with a hash of both when longer than 80 characters.
   */
  static String caseId(RunId runId, String callId) {
    String raw = "correction-" + runId.value() + "." + callId;
    String safe = raw.replaceAll("[^A-Za-z0-9._-]", "-");
    if (safe.length() <= MAX_ID && safe.equals(raw)) {
      return safe;
    }
    String hash = sha256(runId.value() + "/" + callId).substring(0, 12);
    String head = safe.substring(0, Math.min(safe.length(), MAX_ID - hash.length() - 1));
    return head + "-" + hash;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static int turnOf(List<ChatMessage.Assistant> turns, String callId) {
    for (int t = 0; t < turns.size(); t++) {
      if (indexOf(turns.get(t).toolCalls(), callId) >= 0) {
        return t;
      }
    }
    return -1;
  }

  private static int indexOf(List<ToolCall> calls, String callId) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).id().equals(callId)) {
        return i;
      }
    }
    return -1;
  }
}
