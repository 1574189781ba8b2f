package dev.bridle.core.approval;

import dev.bridle.core.approval.ApprovalException.Reason;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.policy.PolicyDecision;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.ArgumentHash;
import dev.bridle.core.run.RunEvidence;
import dev.bridle.core.run.RunState;
import dev.bridle.core.tool.ToolResolution;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The approvals inbox (DESIGN §3.2). Items are a projection of the journal: an {@code
 * ApprovalRequested} or {@code ToolCallInDoubt} without an {@code ApprovalDecided}. A decision is
 * appended to the run's journal with a conditional append, so deciding twice executes once; the run
 * then becomes claimable and whichever node serves its workflow resumes it (or the caller resumes
 * it with {@link Agent#resume}).
 *
 * <p>A decision binds to the call id, the canonical hash of the arguments, the policy version and
 * the approver. An edit is validated against the tool's schema and checked by policy before it is
 * accepted; an edit policy denies is refused.
 */
public final class Approvals {

  /** Runs in the index that are listed when looking for pending items. */
  private static final int MAX_SUSPENDED_RUNS = 10_000;

  private final RunStore store;
  private final Function<String, Optional<Agent>> agents;
  private final Clock clock;

  /**
   * @param agents the agent serving a workflow name, to validate edits; empty when not loaded here
   */
  public Approvals(RunStore store, Function<String, Optional<Agent>> agents, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.agents = Objects.requireNonNull(agents, "agents");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every pending item, oldest first. */
  public List<ApprovalItem> pending() {
    List<ApprovalItem> items = new ArrayList<>();
    List<RunSummary> suspended =
        store.list(RunQuery.ALL.withStatus(RunStatus.SUSPENDED).withLimit(MAX_SUSPENDED_RUNS));
    for (RunSummary run : suspended) {
      items.addAll(pendingFor(run.runId()));
    }
    items.sort(java.util.Comparator.comparing(ApprovalItem::requestedAt));
    return items;
  }

  /** The pending items of one run (at most one at a time: a run waits on one call). */
  public List<ApprovalItem> pendingFor(RunId runId) {
    return new Projection(runId, store.read(runId)).pending();
  }

  /** One item, pending or not: empty when no call of that id ever waited for a human. */
  public Optional<ApprovalItem> find(String approvalId) {
    Id id = Id.parse(approvalId);
    return new Projection(id.runId(), store.read(id.runId())).item(id.callId());
  }

  /**
   * Decides an item.
   *
   * @param editedArguments the approver's arguments for {@link Decision#EDIT} (JSON), else null
   * @param message the reason for {@link Decision#REJECT}, or the response for {@link
   *     Decision#RESPOND}
   * @param approver who decides; recorded on the decision
   * @return the journaled decision
   * @throws ApprovalException when the decision cannot be taken, saying why
   */
  public RunEvent.ApprovalDecided decide(
      String approvalId,
      Decision decision,
      String editedArguments,
      String message,
      String approver) {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(approver, "approver");
    if (approver.isBlank()) {
      throw new ApprovalException(Reason.INVALID_DECISION, "an approver must be named");
    }
    Id id = Id.parse(approvalId);
    for (int attempt = 0; ; attempt++) {
      List<JournalEntry> entries = store.read(id.runId());
      Projection projection = new Projection(id.runId(), entries);
      ApprovalItem item = projection.pendingItem(id.callId(), approvalId);
      RunEvent.ApprovalDecided decided =
          decision(
              item,
              projection,
              decision,
              editedArguments,
              message == null ? "" : message,
              approver);
      long lastSeq = entries.isEmpty() ? 0 : entries.getLast().seq();
      try {
        store.append(id.runId(), lastSeq, decided);
        return decided;
      } catch (JournalConflictException e) {
        if (attempt >= 2) {
          throw e;
        }
        // another writer appended first: look again (it may have decided this very item)
      }
    }
  }

  /**
   * Applies the default decision to every pending approval whose timeout passed (approver {@code
   * system:timeout}). Calls in doubt never time out: only a person knows whether they happened.
   *
   * @return the decisions taken
   */
  public List<RunEvent.ApprovalDecided> expire() {
    Instant now = clock.instant();
    List<RunEvent.ApprovalDecided> decided = new ArrayList<>();
    for (ApprovalItem item : pending()) {
      if (item.expiresAt() != null && !now.isBefore(item.expiresAt())) {
        try {
          decided.add(
              decide(
                  item.id(),
                  item.onTimeout(),
                  null,
                  "no decision within the approval timeout; the workflow's default applied",
                  "system:timeout"));
        } catch (ApprovalException e) {
          if (e.reason() != Reason.ALREADY_DECIDED) {
            throw e;
          }
        }
      }
    }
    return decided;
  }

  private RunEvent.ApprovalDecided decision(
      ApprovalItem item,
      Projection projection,
      Decision decision,
      String editedArguments,
      String message,
      String approver) {
    if (item.fourEyes() && approver.equals(item.requester()) && decision != Decision.REJECT) {
      throw new ApprovalException(
          Reason.FOUR_EYES,
          item.toolName()
              + " needs four eyes: "
              + approver
              + " requested this run and may not approve its call; another approver must decide");
    }
    String arguments = item.arguments();
    switch (decision) {
      case APPROVE, REJECT -> {}
      case RESPOND -> {
        if (message.isBlank()) {
          throw new ApprovalException(
              Reason.INVALID_DECISION, "a response in place of the tool needs the response text");
        }
      }
      case EDIT -> {
        if (item.kind() == ApprovalItem.Kind.IN_DOUBT) {
          throw new ApprovalException(
              Reason.INVALID_DECISION,
              "a call in doubt cannot be edited: approve it to run it again, respond with what"
                  + " happened, or reject it");
        }
        arguments = validatedEdit(item, projection, editedArguments);
      }
    }
    return new RunEvent.ApprovalDecided(
        clock.instant(),
        item.id(),
        item.callId(),
        decision,
        arguments,
        ArgumentHash.of(arguments),
        item.policyVersion(),
        approver,
        message);
  }

  /** The edit as canonical JSON, once the schema and policy accept it. */
  private String validatedEdit(ApprovalItem item, Projection projection, String edited) {
    if (edited == null || edited.isBlank()) {
      throw new ApprovalException(Reason.INVALID_EDIT, "an edit needs the new arguments as JSON");
    }
    Agent agent =
        agents
            .apply(item.workflow())
            .orElseThrow(
                () ->
                    new ApprovalException(
                        Reason.WORKFLOW_UNKNOWN,
                        "workflow '"
                            + item.workflow()
                            + "' is not loaded here, so an edit of "
                            + item.toolName()
                            + " cannot be validated; decide it where the workflow is loaded"));
    ToolResolution resolution =
        agent.tools().resolve(new ToolCall(item.callId(), item.toolName(), edited));
    if (!(resolution instanceof ToolResolution.Resolved resolved)) {
      String why = resolution.rejection().orElse("");
      throw new ApprovalException(Reason.INVALID_EDIT, "the edited arguments are refused: " + why);
    }
    PolicyDecision decision =
        agent
            .policy()
            .decide(
                new PolicyRequest(
                    item.requester(),
                    agent.name(),
                    resolved.tool().facts(),
                    Json.tree(resolved.canonicalArguments()),
                    RunEvidence.of(projection.state(), agent.tools())));
    if (decision.verdict() == Verdict.DENY) {
      throw new ApprovalException(
          Reason.INVALID_EDIT,
          "policy refuses the edited arguments (" + decision.rule() + "): " + decision.reason());
    }
    return resolved.canonicalArguments();
  }

  /** {@code <runId>/<callId>}; run ids cannot contain a slash. */
  private record Id(RunId runId, String callId) {
    static Id parse(String approvalId) {
      Objects.requireNonNull(approvalId, "approvalId");
      int slash = approvalId.indexOf('/');
      if (slash <= 0 || slash == approvalId.length() - 1) {
        throw new ApprovalException(
            Reason.NOT_FOUND,
            "'" + approvalId + "' is not an approval id; ids look like <runId>/<callId>");
      }
      try {
        return new Id(RunId.of(approvalId.substring(0, slash)), approvalId.substring(slash + 1));
      } catch (IllegalArgumentException e) {
        throw new ApprovalException(Reason.NOT_FOUND, "'" + approvalId + "': " + e.getMessage());
      }
    }
  }

  /** The inbox's view of one run's journal. */
  private static final class Projection {
    private final RunId runId;
    private final RunState state;
    private final Map<String, ApprovalItem> items = new LinkedHashMap<>();
    private final Map<String, RunEvent.ApprovalDecided> decisions = new LinkedHashMap<>();

    Projection(RunId runId, List<JournalEntry> entries) {
      this.runId = runId;
      this.state = RunState.replay(runId, entries);
      RunEvent.RunStarted started = null;
      Map<String, RunEvent.ToolCallStarted> startedCalls = new LinkedHashMap<>();
      for (JournalEntry entry : entries) {
        switch (entry.event()) {
          case RunEvent.RunStarted e -> started = e;
          case RunEvent.ToolCallStarted e -> startedCalls.put(e.callId(), e);
          case RunEvent.ApprovalRequested e -> {
            items.put(e.callId(), approval(started, e, entries, entry.seq()));
            decisions.remove(e.callId());
          }
          case RunEvent.ToolCallInDoubt e -> {
            items.put(
                e.callId(),
                inDoubt(started, e, startedCalls.get(e.callId()), entries, entry.seq()));
            decisions.remove(e.callId());
          }
          case RunEvent.ApprovalDecided e -> decisions.put(e.callId(), e);
          default -> {}
        }
      }
    }

    RunState state() {
      return state;
    }

    List<ApprovalItem> pending() {
      if (state.isEnded()) {
        return List.of();
      }
      return items.values().stream().filter(i -> !decisions.containsKey(i.callId())).toList();
    }

    Optional<ApprovalItem> item(String callId) {
      return Optional.ofNullable(items.get(callId));
    }

    ApprovalItem pendingItem(String callId, String approvalId) {
      ApprovalItem item = items.get(callId);
      if (item == null) {
        throw new ApprovalException(Reason.NOT_FOUND, "no approval " + approvalId);
      }
      RunEvent.ApprovalDecided decided = decisions.get(callId);
      if (decided != null) {
        throw new ApprovalException(
            Reason.ALREADY_DECIDED,
            "approval "
                + approvalId
                + " was already decided by "
                + decided.approver()
                + " at "
                + decided.at()
                + " ("
                + decided.decision()
                + "); it runs once");
      }
      if (state.isEnded()) {
        throw new ApprovalException(
            Reason.ALREADY_DECIDED,
            "run " + runId + " has ended; approval " + approvalId + " can no longer be decided");
      }
      return item;
    }

    private ApprovalItem approval(
        RunEvent.RunStarted started,
        RunEvent.ApprovalRequested e,
        List<JournalEntry> entries,
        long seq) {
      return new ApprovalItem(
          e.approvalId(),
          runId,
          e.callId(),
          ApprovalItem.Kind.APPROVAL,
          started == null ? "" : started.workflow(),
          started == null ? "" : started.workflowVersion(),
          started == null ? "" : started.agent(),
          e.requester(),
          e.toolName(),
          e.arguments(),
          e.argumentsHash(),
          e.policyVersion(),
          e.reason(),
          e.preview(),
          e.at(),
          e.expiresAt(),
          e.onTimeout(),
          e.fourEyes(),
          context(started, entries, seq));
    }

    private ApprovalItem inDoubt(
        RunEvent.RunStarted started,
        RunEvent.ToolCallInDoubt e,
        RunEvent.ToolCallStarted call,
        List<JournalEntry> entries,
        long seq) {
      String arguments = call == null ? "{}" : call.arguments();
      return new ApprovalItem(
          runId.value() + "/" + e.callId(),
          runId,
          e.callId(),
          ApprovalItem.Kind.IN_DOUBT,
          started == null ? "" : started.workflow(),
          started == null ? "" : started.workflowVersion(),
          started == null ? "" : started.agent(),
          started == null ? "" : started.user(),
          e.toolName(),
          arguments,
          ArgumentHash.of(arguments),
          lastPolicyVersion(entries),
          e.reason(),
          e.toolName() + " " + arguments + " (idempotency key " + e.idempotencyKey() + ")",
          e.at(),
          null,
          Decision.REJECT,
          false,
          context(started, entries, seq));
    }

    private static String lastPolicyVersion(List<JournalEntry> entries) {
      String version = "";
      for (JournalEntry entry : entries) {
        if (entry.event() instanceof RunEvent.PolicyDecided d) {
          version = d.policyVersion();
        }
      }
      return version;
    }

    /** What the agent knew when it escalated: the state up to {@code seq}. */
    private ApprovalItem.Context context(
        RunEvent.RunStarted started, List<JournalEntry> entries, long seq) {
      RunState then =
          RunState.replay(runId, entries.stream().filter(en -> en.seq() <= seq).toList());
      List<ApprovalItem.Gathered> gathered = new ArrayList<>();
      for (ChatMessage message : then.conversation()) {
        if (message instanceof ChatMessage.ToolResult result) {
          String text = result.content();
          if (text.length() > ApprovalItem.Gathered.PREVIEW_CHARS) {
            text = text.substring(0, ApprovalItem.Gathered.PREVIEW_CHARS) + "…";
          }
          gathered.add(new ApprovalItem.Gathered(result.toolName(), text));
        }
      }
      return new ApprovalItem.Context(
          started == null ? "" : started.task(), then.toolCalls(), gathered);
    }
  }
}
