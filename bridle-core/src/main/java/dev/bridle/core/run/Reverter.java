package dev.bridle.core.run;

import dev.bridle.core.audit.AuditEntry;
import dev.bridle.core.audit.AuditTrail;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.tool.Change;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolResolution;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rollback from the change journal (DESIGN §3.6): runs the inverse calls that reversible tools
 * recorded, newest change first, each journaled as {@code ChangeReverted} on the run that made the
 * change. A change already reverted is skipped, so reverting twice reverts once. Works after a
 * restart and on any node, because the inverse is data.
 *
 * <p>Reverting is an operator's action: it runs while a kill switch is on (that is when it is most
 * needed), with the agent's tools and credentials.
 */
public final class Reverter {

  private final RunStore store;
  private final Function<String, Optional<Agent>> agents;
  private final Clock clock;

  /** One change undone (or attempted: see {@code status}). */
  public record Reverted(
      RunId runId,
      String callId,
      String toolName,
      String inverseTool,
      RunEvent.CallStatus status,
      String observation) {}

  /** A call with an effect that could not be reverted, and why. */
  public record NotReverted(RunId runId, String callId, String toolName, String why) {}

  /** What a revert did. */
  public record Report(List<Reverted> reverted, List<NotReverted> notReverted) {
    public Report {
      reverted = List.copyOf(reverted);
      notReverted = List.copyOf(notReverted);
    }

    /** Whether every change with an effect was undone. */
    public boolean complete() {
      return notReverted.isEmpty()
          && reverted.stream().allMatch(r -> r.status() == RunEvent.CallStatus.SUCCEEDED);
    }
  }

  public Reverter(RunStore store, Function<String, Optional<Agent>> agents, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.agents = Objects.requireNonNull(agents, "agents");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reverts every change of one run, newest first. */
  public Report revertRun(RunId runId, String by) {
    return revert(new AuditTrail(store).ofRun(runId).reversed(), by);
  }

  /** Reverts every change a workflow's runs made at or after {@code since}, newest first. */
  public Report revertWorkflow(String workflow, Instant since, String by) {
    List<AuditEntry> entries =
        new AuditTrail(store).query(Optional.of(workflow), Optional.of(since), Integer.MAX_VALUE);
    return revert(entries, by);
  }

  /**
   * Undoes one autonomous change within the policy's undo window; after it, use {@link #revertRun}
   * (an operator's deliberate action).
   */
  public Report undo(RunId runId, String callId, String by) {
    List<AuditEntry> entries =
        new AuditTrail(store).ofRun(runId).stream().filter(e -> e.callId().equals(callId)).toList();
    if (entries.isEmpty()) {
      return new Report(
          List.of(), List.of(new NotReverted(runId, callId, "", "no such call with an effect")));
    }
    AuditEntry entry = entries.getFirst();
    Optional<Agent> agent = agents.apply(entry.workflow());
    if (agent.isPresent()
        && clock.instant().isAfter(entry.at().plus(agent.get().policy().undoWindow()))) {
      return new Report(
          List.of(),
          List.of(
              new NotReverted(
                  runId,
                  callId,
                  entry.toolName(),
                  "the undo window of "
                      + agent.get().policy().undoWindow()
                      + " has passed; revert the run instead")));
    }
    return revert(entries, by);
  }

  private Report revert(List<AuditEntry> newestFirst, String by) {
    List<Reverted> reverted = new ArrayList<>();
    List<NotReverted> notReverted = new ArrayList<>();
    List<AuditEntry> ordered =
        newestFirst.stream().sorted(Comparator.comparing(AuditEntry::at).reversed()).toList();
    for (AuditEntry entry : ordered) {
      Optional<String> why = whyNot(entry);
      if (why.isPresent()) {
        if (!why.get().isEmpty()) {
          notReverted.add(
              new NotReverted(entry.runId(), entry.callId(), entry.toolName(), why.get()));
        }
        continue;
      }
      Optional<Agent> agent = agents.apply(entry.workflow());
      if (agent.isEmpty()) {
        notReverted.add(
            new NotReverted(
                entry.runId(),
                entry.callId(),
                entry.toolName(),
                "workflow '" + entry.workflow() + "' is not loaded here, so its tools cannot run"));
        continue;
      }
      reverted.add(runInverse(agent.get(), entry, by));
    }
    return new Report(reverted, notReverted);
  }

  /** Why an entry is not reverted: empty to revert it; an empty text to skip it silently. */
  private static Optional<String> whyNot(AuditEntry entry) {
    if (entry.revertedBy() != null) {
      return Optional.of(""); // done already: reverting twice reverts once
    }
    if (entry.status().equals("shadowed")) {
      return Optional.of(""); // never executed
    }
    if (entry.status().equals("in_doubt")) {
      return Optional.of("the call is in doubt: nobody knows whether it happened");
    }
    if (!entry.status().equals("succeeded")) {
      return Optional.of(""); // failed calls changed nothing the tool reported
    }
    if (entry.effect() == Effect.PROPOSE) {
      return Optional.of(""); // a proposal: a human acts on it, the agent changed nothing
    }
    Change change = entry.change();
    if (change == null || change.inverse() == null) {
      return Optional.of(
          entry.effect() == Effect.WRITE
              ? "the tool recorded no inverse call for this change"
              : "its effect is "
                  + entry.effect()
                  + ": it reached outside and cannot be taken back");
    }
    return Optional.empty();
  }

  private Reverted runInverse(Agent agent, AuditEntry entry, String by) {
    Change.InverseCall inverse = entry.change().inverse();
    String callId = "revert-" + entry.callId();
    ToolResolution resolution =
        agent
            .tools()
            .resolve(new ToolCall(callId, inverse.toolName(), Json.canonical(inverse.arguments())));
    RunEvent.CallStatus status;
    String observation;
    if (resolution instanceof ToolResolution.Resolved resolved) {
      ToolContext context =
          new ToolContext(
              entry.runId(),
              callId,
              entry.runId() + "/" + callId,
              agent.identity(),
              clock.instant().plus(resolved.tool().timeout()),
              agent.credentials());
      ToolRunner.Outcome outcome =
          ToolRunner.run(
              resolved.tool(), resolved.typedArguments(), context, resolved.tool().timeout());
      status = outcome.status();
      observation = outcome.observation();
    } else {
      status = RunEvent.CallStatus.FAILED;
      observation = resolution.rejection().orElse("");
    }
    RunEvent.ChangeReverted event =
        new RunEvent.ChangeReverted(
            clock.instant(),
            entry.callId(),
            entry.toolName(),
            inverse.toolName(),
            Json.canonical(inverse.arguments()),
            status,
            observation,
            by);
    appendAtEnd(entry.runId(), event);
    return new Reverted(
        entry.runId(), entry.callId(), entry.toolName(), inverse.toolName(), status, observation);
  }

  private void appendAtEnd(RunId runId, RunEvent event) {
    for (int attempt = 0; ; attempt++) {
      long last = store.find(runId).map(dev.bridle.core.journal.RunSummary::lastSeq).orElse(0L);
      try {
        store.append(runId, last, event);
        return;
      } catch (JournalConflictException e) {
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }
}
