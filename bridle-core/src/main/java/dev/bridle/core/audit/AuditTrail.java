package dev.bridle.core.audit;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.tool.Effect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit trail (DESIGN §1): every call with an effect, tagged with the agent that made it, the
 * run, the approver and the change. A projection of the journals; nothing is stored twice.
 */
public final class AuditTrail {

  private static final int MAX_RUNS = 10_000;

  private final RunStore store;

  public AuditTrail(RunStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Calls with an effect, newest first.
   *
   * @param workflow only this workflow's runs, when present
   * @param since only calls at or after this instant, when present
   * @param limit at most this many entries
   */
  public List<AuditEntry> query(Optional<String> workflow, Optional<Instant> since, int limit) {
    RunQuery query = RunQuery.ALL.withLimit(MAX_RUNS);
    if (workflow.isPresent()) {
      query = query.withWorkflow(workflow.get());
    }
    List<AuditEntry> entries = new ArrayList<>();
    for (RunSummary run : store.list(query)) {
      if (since.isPresent() && run.updatedAt().isBefore(since.get())) {
        continue;
      }
      for (AuditEntry entry : ofRun(run.runId())) {
        if (since.isEmpty() || !entry.at().isBefore(since.get())) {
          entries.add(entry);
        }
      }
    }
    entries.sort(Comparator.comparing(AuditEntry::at).reversed());
    return entries.size() > limit ? entries.subList(0, limit) : entries;
  }

  /** The calls with an effect of one run, in the order they happened. */
  public List<AuditEntry> ofRun(RunId runId) {
    return ofJournal(runId, store.read(runId));
  }

  /** The calls with an effect recorded in {@code entries}, in order. */
  public static List<AuditEntry> ofJournal(RunId runId, List<JournalEntry> entries) {
    RunEvent.RunStarted started = null;
    Map<String, RunEvent.ToolCallStarted> calls = new HashMap<>();
    Map<String, RunEvent.ApprovalDecided> approvals = new HashMap<>();
    Map<String, RunEvent.ToolCallShadowed> shadowed = new HashMap<>();
    Map<String, RunEvent.ChangeReverted> reverted = new HashMap<>();
    List<AuditEntry> out = new ArrayList<>();
    List<Object[]> pending = new ArrayList<>();
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case RunEvent.RunStarted e -> started = e;
        case RunEvent.ToolCallStarted e -> calls.put(e.callId(), e);
        case RunEvent.ApprovalDecided e -> approvals.put(e.callId(), e);
        case RunEvent.ToolCallShadowed e -> {
          shadowed.put(e.callId(), e);
          pending.add(new Object[] {e.callId(), e.at(), "shadowed", null});
        }
        case RunEvent.ToolCallCompleted e ->
            pending.add(
                new Object[] {e.callId(), e.at(), e.status().name().toLowerCase(Locale.ROOT), e});
        case RunEvent.ToolCallInDoubt e ->
            pending.add(new Object[] {e.callId(), e.at(), "in_doubt", null});
        case RunEvent.ChangeReverted e -> {
          if (e.status() == RunEvent.CallStatus.SUCCEEDED) {
            reverted.put(e.callId(), e);
          }
        }
        default -> {}
      }
    }
    for (Object[] p : pending) {
      String callId = (String) p[0];
      RunEvent.ToolCallStarted call = calls.get(callId);
      RunEvent.ToolCallShadowed shadow = shadowed.get(callId);
      Effect effect = call != null ? call.effect() : shadow.effect();
      if (effect == Effect.READ) {
        continue;
      }
      RunEvent.ApprovalDecided approval = approvals.get(callId);
      RunEvent.ToolCallCompleted completed = (RunEvent.ToolCallCompleted) p[3];
      RunEvent.ChangeReverted revert = reverted.get(callId);
      out.add(
          new AuditEntry(
              (Instant) p[1],
              runId,
              started == null ? "" : started.workflow(),
              started == null ? "" : started.agent(),
              started == null ? "" : started.user(),
              callId,
              call != null ? call.toolName() : shadow != null ? shadow.toolName() : "",
              effect,
              call != null ? call.arguments() : shadow != null ? shadow.arguments() : "",
              (String) p[2],
              approval == null ? null : approval.approver(),
              approval == null ? null : approval.decision(),
              completed == null ? null : completed.change(),
              revert == null ? null : revert.by(),
              revert == null ? null : revert.at()));
    }
    return out;
  }
}
