package dev.bridle.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.Notifier;
import dev.bridle.core.cost.BudgetDecision;
import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.Cost;
import dev.bridle.core.cost.CostEstimate;
import dev.bridle.core.cost.CostEstimator;
import dev.bridle.core.cost.Spender;
import dev.bridle.core.guard.ChainResult;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardSubject;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.FailureKind;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.PolicyDecision;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.CredentialRefusedException;
import dev.bridle.core.tool.Credentials;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.ToolContext;
import dev.bridle.core.tool.ToolResolution;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One run of the ReAct loop with native tool calling (DESIGN §2): check the limits, ask the model,
 * act on each tool call in order, until the model answers or a limit stops the run. Every step is
 * an event appended to the journal before it takes effect; the state is a fold over those events.
 */
final class AgentLoop {

  private static final System.Logger LOG = System.getLogger(AgentLoop.class.getName());

  private final Agent agent;
  private final BooleanSupplier stopRequested;
  private RunState state;
  private String user = "local";
  private int reasks;

  private AgentLoop(Agent agent, RunId runId, BooleanSupplier stopRequested) {
    this.agent = agent;
    this.stopRequested = stopRequested;
    this.state = RunState.initial(runId);
  }

  static RunResult run(Agent agent, RunId runId, String task, String user) {
    AgentLoop loop = new AgentLoop(agent, runId, () -> false);
    Optional<RunOutcome> refused = loop.start(task, user);
    return refused.isPresent() ? loop.finish(refused.get()) : loop.loop();
  }

  /**
   * Continues a run from its journal (DESIGN §3): recorded model responses are not requested again;
   * the unfinished tool calls of the last response are finished first. A call that started and
   * never completed runs again with the same idempotency key only if its tool is idempotent;
   * otherwise it is marked {@code ToolCallInDoubt} and the run suspends for a human.
   */
  static RunResult resume(Agent agent, RunId runId, String by, BooleanSupplier stopRequested) {
    AgentLoop loop = new AgentLoop(agent, runId, stopRequested);
    loop.state = Resumption.load(agent.journal(), runId);
    loop.user = Resumption.user(agent.journal(), runId);
    Optional<RunEvent.RunSubmitted> submitted =
        Resumption.checkWorkflow(agent, agent.journal(), runId);
    if (submitted.isPresent()) {
      Optional<RunOutcome> refused = loop.start(submitted.get().task(), submitted.get().user());
      return refused.isPresent() ? loop.finish(refused.get()) : loop.loop();
    }
    if (loop.state.isEnded()) {
      return loop.result(Resumption.recordedOutcome(agent, loop.state));
    }
    Optional<ToolCallSummary> waitingOn = loop.state.awaitingDecision();
    if (waitingOn.isPresent()) {
      RunOutcome waiting = Resumption.waitingFor(loop.state.runId(), waitingOn.get());
      if (!Resumption.lastEventIs(agent.journal(), loop.state, RunEvent.RunSuspended.class)) {
        // The run stopped between asking a human and suspending: suspend it now.
        return loop.finish(waiting);
      }
      return loop.result(waiting);
    }
    Optional<KillSwitch.Kill> kill = loop.killed();
    if (kill.isPresent()) {
      RunOutcome killed = new RunOutcome.Killed(kill.get().describe());
      return Resumption.lastEventIs(agent.journal(), loop.state, RunEvent.RunKilled.class)
          ? loop.result(killed)
          : loop.finish(killed);
    }
    loop.append(new RunEvent.RunResumed(loop.now(), by));
    loop.reasks = Resumption.reasks(agent.journal(), runId);
    Optional<String> answer = loop.state.recordedAnswer();
    if (answer.isPresent()) {
      Optional<RunOutcome> end = loop.finalAnswer(answer.get());
      return end.isPresent() ? loop.finish(end.get()) : loop.loop();
    }
    Optional<RunOutcome> stop = loop.finishPendingCalls();
    return stop.isPresent() ? loop.finish(stop.get()) : loop.loop();
  }

  /** Finishes the calls of the last response that a crash interrupted, in order. */
  private Optional<RunOutcome> finishPendingCalls() {
    for (RunState.PendingCall pending : state.pendingCalls()) {
      Optional<RunOutcome> stop =
          switch (pending.status()) {
            case "proposed" -> dispatchProposed(pending.call());
            case "started" -> rerunOrDoubt(pending.call());
            case "approved" -> executeApproved(pending.call());
            default -> act(pending.call());
          };
      if (stop.isPresent()) {
        return stop;
      }
    }
    return Optional.empty();
  }

  /** A call proposed before the interruption: the loop detector's verdict still holds. */
  private Optional<RunOutcome> dispatchProposed(ToolCall call) {
    ToolResolution resolution = agent.tools().resolve(call);
    String arguments = resolution.canonicalArguments();
    int times = state.proposalCount(call.name(), arguments);
    if (times >= agent.limits().loopThreshold()) {
      return Optional.of(new RunOutcome.LoopDetected(call.name(), arguments, times));
    }
    return dispatch(call, resolution, List.of());
  }

  /**
   * A call a human approved (perhaps with edited arguments, which {@code call} carries). The
   * approval binds to the policy version it was given under: under that version policy may still
   * deny (an edit that breaks a constraint) but need not ask again; under a changed policy the call
   * is decided afresh, and may need a new approval.
   */
  private Optional<RunOutcome> executeApproved(ToolCall call) {
    Optional<KillSwitch.Kill> kill = killed();
    if (kill.isPresent()) {
      return Optional.of(new RunOutcome.Killed(kill.get().describe()));
    }
    ToolResolution resolution = agent.tools().resolve(call);
    if (!(resolution instanceof ToolResolution.Resolved resolved)) {
      String why = resolution.rejection().orElse("");
      append(
          new RunEvent.ToolCallRejected(
              now(), call.id(), call.name(), RunEvent.Rejection.EDIT_REFUSED, why));
      return Optional.empty();
    }
    String approvedUnder = Resumption.approvalPolicyVersion(agent.journal(), state, call.id());
    PolicyDecision decision = agent.policy().decide(policyRequest(resolved));
    boolean sameVersion = decision.policyVersion().equals(approvedUnder);
    List<RunEvent> decided = List.of(policyDecided(call, decision));
    // The state may have changed while the call waited: its precondition is checked again.
    return switch (decision.verdict()) {
      case ALLOW ->
          ifPreconditionHolds(call, resolved, decided, () -> execute(call, resolved, decided));
      case ASK ->
          ifPreconditionHolds(
              call,
              resolved,
              decided,
              () ->
                  sameVersion
                      ? execute(call, resolved, decided)
                      : askHuman(call, resolved, decision, decided));
      case DENY -> {
        deny(call, decision, decided);
        yield Optional.empty();
      }
      case SHADOW ->
          ifPreconditionHolds(call, resolved, decided, () -> shadow(call, resolved, decided));
    };
  }

  /**
   * A call that started and never completed: run again only if the tool was idempotent when it
   * started (as journaled) and still is; otherwise it is in doubt. It runs again with the arguments
   * it started with, which the argument guards may have redacted.
   */
  private Optional<RunOutcome> rerunOrDoubt(ToolCall call) {
    Optional<RunEvent.ToolCallStarted> started =
        Resumption.started(agent.journal(), state, call.id());
    ToolCall asStarted =
        started.map(s -> new ToolCall(call.id(), call.name(), s.arguments())).orElse(call);
    ToolResolution resolution = agent.tools().resolve(asStarted);
    if (started.map(RunEvent.ToolCallStarted::idempotent).orElse(false)
        && resolution instanceof ToolResolution.Resolved resolved
        && resolved.tool().idempotent()) {
      if (deadlinePassed()) {
        return Optional.of(new RunOutcome.DeadlineExceeded(agent.limits().deadline()));
      }
      return execute(call, resolved, List.of());
    }
    return inDoubt(
        call,
        "the run stopped after starting "
            + call.name()
            + " and before recording its result; the tool is not idempotent, so it is not run"
            + " again: did it happen?");
  }

  private Optional<RunOutcome> inDoubt(ToolCall call, String reason) {
    append(
        new RunEvent.ToolCallInDoubt(now(), call.id(), call.name(), idempotencyKey(call), reason));
    return Optional.of(
        new RunOutcome.Suspended(
            "tool call " + call.id() + " is in doubt: " + reason, List.of(approvalId(call))));
  }

  /**
   * Starts the run: the input guards see the task first, and the run records the task as they left
   * it (redacted where a guard redacted). A guard that blocks or escalates ends the run here,
   * recorded, so that the refusal is audited and the task is not lost.
   */
  private Optional<RunOutcome> start(String task, String user) {
    this.user = user;
    ChainResult checked = agent.guards().check(GuardSubject.input(agent.name(), task));
    List<RunEvent> events = new ArrayList<>();
    events.add(
        new RunEvent.RunStarted(
            now(),
            agent.name(),
            agent.version(),
            agent.identity(),
            user,
            agent.instructions(),
            checked.text(),
            agent.model().id(),
            agent.definitionHash()));
    events.addAll(tripped(checked, null, false));
    appendAll(events);
    return stopFor(checked);
  }

  /** A guard's blocking or escalating outcome as the run's outcome; empty when it proceeds. */
  private static Optional<RunOutcome> stopFor(ChainResult checked) {
    return switch (checked.outcome()) {
      case ChainResult.Outcome.Blocked b ->
          Optional.of(new RunOutcome.Blocked(b.guard(), b.reason()));
      case ChainResult.Outcome.Escalated e ->
          Optional.of(new RunOutcome.Escalated(e.guard(), e.reason()));
      case ChainResult.Outcome.Reasked r -> Optional.empty();
      case ChainResult.Outcome.Proceed p -> Optional.empty();
    };
  }

  /**
   * The chain's trips as events. {@code reaskAllowed} false turns a reask into a flag: only the
   * final answer can be asked again (a reask amid tool calls would leave calls unanswered).
   */
  private List<RunEvent> tripped(ChainResult checked, ToolCall call, boolean reaskAllowed) {
    List<RunEvent> events = new ArrayList<>(checked.trips().size());
    for (GuardTrip trip : checked.trips()) {
      GuardTrip.Kind kind =
          trip.kind() == GuardTrip.Kind.REASK && !reaskAllowed ? GuardTrip.Kind.FLAG : trip.kind();
      events.add(
          new RunEvent.GuardTripped(
              now(),
              trip.guard(),
              trip.stage(),
              kind,
              trip.reason(),
              call == null ? null : call.name(),
              call == null ? null : call.id()));
    }
    return events;
  }

  private RunResult loop() {
    while (!state.isEnded()) {
      checkStopRequested();
      Optional<KillSwitch.Kill> kill = killed();
      if (kill.isPresent()) {
        return finish(new RunOutcome.Killed(kill.get().describe()));
      }
      Optional<RunOutcome> stop = checkLimits();
      if (stop.isPresent()) {
        return finish(stop.get());
      }
      Optional<RunOutcome> outcome = step();
      if (outcome.isPresent()) {
        return finish(outcome.get());
      }
    }
    throw new IllegalStateException("run " + state.runId() + " already ended");
  }

  private Optional<RunOutcome> checkLimits() {
    if (deadlinePassed()) {
      return Optional.of(new RunOutcome.DeadlineExceeded(agent.limits().deadline()));
    }
    if (state.steps() >= agent.limits().maxSteps()) {
      return Optional.of(new RunOutcome.StepLimitReached(agent.limits().maxSteps()));
    }
    return Optional.empty();
  }

  /** One model call and its tool calls; an outcome when the run ends here. */
  private Optional<RunOutcome> step() {
    ModelResponse response;
    ModelRequest request = new ModelRequest(state.conversation(), agent.tools().specs());
    Optional<BudgetDecision> budget = checkBudget(request);
    if (budget.isPresent() && budget.get() instanceof BudgetDecision.HardExceeded refused) {
      return Optional.of(
          agent.metering().parkWhenExhausted()
              ? new RunOutcome.Suspended("budget exhausted: " + refused.message())
              : new RunOutcome.BudgetExhausted(refused.message()));
    }
    Instant asked = now();
    try {
      response = agent.model().chat(request);
    } catch (ModelException e) {
      return Optional.of(
          new RunOutcome.Failed(
              "model call failed (" + e.kind().name().toLowerCase() + "): " + e.getMessage()));
    } catch (RuntimeException e) {
      return Optional.of(
          new RunOutcome.Failed(
              "model adapter error: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    long latency = Math.max(0, Duration.between(asked, now()).toMillis());
    ChatMessage.Assistant message = withUniqueCallIds(response.message());
    Cost cost =
        agent
            .metering()
            .prices()
            .cost(response.modelId(), response.usage(), LocalDate.ofInstant(now(), ZoneOffset.UTC));
    List<RunEvent> responded = new ArrayList<>(2);
    responded.add(
        new RunEvent.ModelResponded(
            now(),
            state.steps() + 1,
            response.modelId(),
            message,
            response.usage(),
            latency,
            cost.usd().orElse(null)));
    if (agent.metering().ledger() != null) {
      BudgetDecision after = agent.metering().ledger().record(spender(), response.usage(), cost);
      boolean wasAllowed = budget.isEmpty() || budget.get() instanceof BudgetDecision.Allowed;
      if (wasAllowed && !(after instanceof BudgetDecision.Allowed)) {
        responded.add(
            new RunEvent.BudgetThresholdCrossed(
                now(), after instanceof BudgetDecision.HardExceeded, after.message()));
      }
    }
    appendAll(responded);
    if (responded.getLast() instanceof RunEvent.BudgetThresholdCrossed crossed) {
      notifyQuietly(
          new Notifier.Notification(
              Notifier.Kind.BUDGET_ALERT,
              agent.name(),
              state.runId(),
              "",
              "",
              (crossed.hard() ? "Budget limit reached: " : "Budget threshold crossed: ")
                  + crossed.message(),
              null));
    }
    if (!message.hasToolCalls()) {
      return finalAnswer(message.text());
    }
    if (!message.text().isBlank() && agent.guards().covers(GuardStage.MODEL_OUTPUT)) {
      ChainResult checked =
          agent.guards().check(GuardSubject.modelOutput(agent.name(), message.text()));
      appendAll(tripped(checked, null, false));
      Optional<RunOutcome> stop = stopFor(checked);
      if (stop.isPresent()) {
        return stop;
      }
    }
    for (ToolCall call : message.toolCalls()) {
      Optional<RunOutcome> stop = act(call);
      if (stop.isPresent()) {
        return stop;
      }
    }
    return Optional.empty();
  }

  private void notifyQuietly(Notifier.Notification notification) {
    try {
      agent.notifier().notify(notification);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "notifier failed: " + e.getMessage());
    }
  }

  /** The budget decision for the next call, when budgets are enforced. */
  private Optional<BudgetDecision> checkBudget(ModelRequest request) {
    BudgetLedger ledger = agent.metering().ledger();
    if (ledger == null) {
      return Optional.empty();
    }
    CostEstimate estimate =
        CostEstimator.of(agent.metering().prices(), agent.clock())
            .estimate(request, agent.model().id(), agent.metering().maxOutputTokens());
    return Optional.of(ledger.check(spender(), estimate));
  }

  private Spender spender() {
    return new Spender(state.runId().value(), Optional.of(user), agent.name());
  }

  /**
   * Call ids key idempotency ({@code runId/callId}) and the journal's bookkeeping, so they must be
   * unique within the run. Providers make them up; some repeat them across responses (or even
   * within one). A repeated id gets a suffix, consistently in the journaled message, so the
   * provider sees the same ids in the conversation that follows.
   */
  private ChatMessage.Assistant withUniqueCallIds(ChatMessage.Assistant message) {
    if (!message.hasToolCalls()) {
      return message;
    }
    java.util.Set<String> used = new java.util.HashSet<>();
    for (ToolCallSummary call : state.toolCalls()) {
      used.add(call.callId());
    }
    List<ToolCall> calls = new java.util.ArrayList<>(message.toolCalls().size());
    boolean changed = false;
    for (ToolCall call : message.toolCalls()) {
      String id = call.id();
      for (int n = 2; used.contains(id); n++) {
        id = call.id() + "-" + (state.steps() + 1) + "-" + n;
      }
      used.add(id);
      changed |= !id.equals(call.id());
      calls.add(id.equals(call.id()) ? call : new ToolCall(id, call.name(), call.arguments()));
    }
    return changed ? new ChatMessage.Assistant(message.text(), calls) : message;
  }

  /**
   * The model's final answer through the output guards: completed with the answer as the guards
   * left it; or, on a reask within the chain's bound, empty (the feedback is journaled and the loop
   * asks again); or blocked or escalated.
   */
  private Optional<RunOutcome> finalAnswer(String text) {
    if (text.isBlank()) {
      return Optional.of(
          new RunOutcome.Failed("the model answered with neither text nor a tool call"));
    }
    ChainResult checked = agent.guards().check(GuardSubject.finalAnswer(agent.name(), text));
    if (checked.outcome() instanceof ChainResult.Outcome.Reasked reasked) {
      if (reasks < agent.guards().maxReasks()) {
        reasks++;
        appendAll(tripped(checked, null, true));
        return Optional.empty();
      }
      appendAll(tripped(checked, null, false));
      return Optional.of(
          new RunOutcome.Blocked(
              reasked.guard(),
              "the answer was still refused after " + reasks + " attempts: " + reasked.feedback()));
    }
    appendAll(tripped(checked, null, false));
    return Optional.of(stopFor(checked).orElse(new RunOutcome.Completed(checked.text())));
  }

  /** Resolves, checks and runs one tool call; an outcome when the run must stop. */
  private Optional<RunOutcome> act(ToolCall call) {
    if (deadlinePassed()) {
      return Optional.of(new RunOutcome.DeadlineExceeded(agent.limits().deadline()));
    }
    ToolResolution resolution = agent.tools().resolve(call);
    String arguments = resolution.canonicalArguments();
    RunEvent proposed =
        new RunEvent.ToolCallProposed(now(), state.steps(), call.id(), call.name(), arguments);
    int times = state.proposalCount(call.name(), arguments) + 1;
    if (times >= agent.limits().loopThreshold()) {
      append(proposed);
      return Optional.of(new RunOutcome.LoopDetected(call.name(), arguments, times));
    }
    return dispatch(call, resolution, List.of(proposed));
  }

  /**
   * Decides and runs or rejects a call; {@code pending} holds the events about it not yet journaled
   * (its {@code ToolCallProposed}), appended in one transaction with the next event.
   */
  private Optional<RunOutcome> dispatch(
      ToolCall call, ToolResolution resolution, List<RunEvent> pending) {
    if (deadlinePassed()) {
      appendAll(pending);
      return Optional.of(new RunOutcome.DeadlineExceeded(agent.limits().deadline()));
    }
    checkStopRequested();
    Optional<KillSwitch.Kill> kill = killed();
    if (kill.isPresent()) {
      appendAll(pending);
      return Optional.of(new RunOutcome.Killed(kill.get().describe()));
    }
    switch (resolution) {
      case ToolResolution.Resolved resolved -> {
        return decide(call, resolved, pending);
      }
      case ToolResolution.UnknownTool unknown ->
          reject(call, RunEvent.Rejection.UNKNOWN_TOOL, unknown.observation(), pending);
      case ToolResolution.InvalidArguments invalid ->
          reject(call, RunEvent.Rejection.INVALID_ARGUMENTS, invalid.observation(), pending);
    }
    return Optional.empty();
  }

  /** Policy decides the call (DESIGN §4), journaled before anything else happens to it. */
  private Optional<RunOutcome> decide(
      ToolCall call, ToolResolution.Resolved resolved, List<RunEvent> pending) {
    ToolResolution.Resolved proposed = resolved;
    if (agent.guards().covers(GuardStage.TOOL_ARGUMENTS)) {
      ChainResult checked =
          agent
              .guards()
              .check(
                  GuardSubject.toolArguments(
                      agent.name(), call.name(), resolved.canonicalArguments()));
      List<RunEvent> withTrips = new ArrayList<>(pending);
      withTrips.addAll(tripped(checked, call, false));
      switch (checked.outcome()) {
        case ChainResult.Outcome.Blocked b -> {
          reject(
              call,
              RunEvent.Rejection.GUARD_BLOCKED,
              "A guard (" + b.guard() + ") refused this call, so it was not run: " + b.reason(),
              withTrips);
          return Optional.empty();
        }
        case ChainResult.Outcome.Reasked r -> {
          reject(
              call,
              RunEvent.Rejection.GUARD_BLOCKED,
              "A guard (" + r.guard() + ") refused these arguments: " + r.feedback(),
              withTrips);
          return Optional.empty();
        }
        case ChainResult.Outcome.Escalated e -> {
          Optional<ToolResolution.Resolved> guarded =
              guardedArguments(call, resolved, checked, withTrips);
          if (guarded.isEmpty()) {
            return Optional.empty();
          }
          PolicyDecision escalated =
              new PolicyDecision(
                  Verdict.ASK, "guard:" + e.guard(), e.reason(), agent.policy().version());
          return ifPreconditionHolds(
              call,
              guarded.get(),
              withTrips,
              () -> askHuman(call, guarded.get(), escalated, withTrips));
        }
        case ChainResult.Outcome.Proceed p -> {
          Optional<ToolResolution.Resolved> guarded =
              guardedArguments(call, resolved, checked, withTrips);
          if (guarded.isEmpty()) {
            return Optional.empty();
          }
          resolved = guarded.get();
          pending = withTrips;
        }
      }
    }
    PolicyDecision decision = agent.policy().decide(policyRequest(resolved, proposed));
    List<RunEvent> events = new ArrayList<>(pending);
    events.add(policyDecided(call, decision));
    ToolResolution.Resolved checked = resolved;
    return switch (decision.verdict()) {
      case ALLOW ->
          ifPreconditionHolds(call, checked, events, () -> execute(call, checked, events));
      case DENY -> {
        deny(call, decision, events);
        yield Optional.empty();
      }
      case SHADOW ->
          ifPreconditionHolds(call, checked, events, () -> shadow(call, checked, events));
      case ASK ->
          ifPreconditionHolds(
              call, checked, events, () -> askHuman(call, checked, decision, events));
    };
  }

  /**
   * Checks the tool's precondition ({@link dev.bridle.core.tool.Tool.Precondition}) and goes on
   * with {@code next} when it holds. Policy has decided, and did not deny: the check runs before a
   * human is asked, before an allowed call runs, before an approved call runs (the state may have
   * changed while it waited) and before a call is shadowed (so that shadow mode records what would
   * really run). A refusal, or a precondition that throws or times out, rejects the call, journaled
   * with {@code pending}: no approval is asked and the tool does not run; the model reads the
   * tool's message.
   */
  private Optional<RunOutcome> ifPreconditionHolds(
      ToolCall call,
      ToolResolution.Resolved resolved,
      List<RunEvent> pending,
      java.util.function.Supplier<Optional<RunOutcome>> next) {
    if (resolved.tool().precondition().isEmpty()) {
      return next.get(); // most tools have none: no context, no timeout to work out
    }
    ToolRunner.Check check =
        ToolRunner.check(
            resolved.tool(), resolved.typedArguments(), context(call), toolTimeout(resolved));
    switch (check) {
      case ToolRunner.Check.Holds h -> {
        return next.get();
      }
      case ToolRunner.Check.Refused r ->
          reject(call, RunEvent.Rejection.PRECONDITION_FAILED, r.message(), pending);
      case ToolRunner.Check.Failed f ->
          reject(
              call,
              RunEvent.Rejection.PRECONDITION_ERROR,
              "The check before "
                  + call.name()
                  + " could not be made ("
                  + f.message()
                  + "), so the call was not run and nobody was asked to approve it.",
              pending);
    }
    return Optional.empty();
  }

  /**
   * The call as the argument guards left it. When a guard redacted the arguments, the redacted JSON
   * is resolved again, so that it is validated against the tool's schema and bound afresh: policy,
   * the approver and the tool see the redacted values, and {@code ToolCallStarted} (or {@code
   * ApprovalRequested}) journals them. Redacted arguments that no longer fit the schema reject the
   * call (empty).
   */
  private Optional<ToolResolution.Resolved> guardedArguments(
      ToolCall call,
      ToolResolution.Resolved resolved,
      ChainResult checked,
      List<RunEvent> pending) {
    if (checked.text().equals(resolved.canonicalArguments())) {
      return Optional.of(resolved);
    }
    ToolResolution redacted =
        agent.tools().resolve(new ToolCall(call.id(), call.name(), checked.text()));
    if (redacted instanceof ToolResolution.Resolved again) {
      return Optional.of(again);
    }
    String guards =
        String.join(
            ", ",
            checked.trips().stream()
                .filter(trip -> trip.kind() == GuardTrip.Kind.REDACT)
                .map(GuardTrip::guard)
                .distinct()
                .toList());
    reject(
        call,
        RunEvent.Rejection.GUARD_BLOCKED,
        "A guard ("
            + guards
            + ") redacted these arguments, and the redacted call does not fit the tool's schema,"
            + " so it was not run. "
            + redacted.rejection().orElse("")
            + " Leave personal data and secrets out of tool calls.",
        pending);
    return Optional.empty();
  }

  private RunEvent policyDecided(ToolCall call, PolicyDecision decision) {
    return new RunEvent.PolicyDecided(
        now(),
        call.id(),
        call.name(),
        decision.verdict(),
        decision.rule(),
        decision.reason(),
        decision.policyVersion());
  }

  private void deny(ToolCall call, PolicyDecision decision, List<RunEvent> pending) {
    reject(
        call,
        RunEvent.Rejection.POLICY_DENIED,
        "Policy denied this call, so it was not run: "
            + decision.reason()
            + ". Do not try it again in another form; continue without it or explain in your"
            + " answer why it could not be done.",
        pending);
  }

  private Optional<RunOutcome> shadow(
      ToolCall call, ToolResolution.Resolved resolved, List<RunEvent> pending) {
    List<RunEvent> events = new ArrayList<>(pending);
    events.add(
        new RunEvent.ToolCallShadowed(
            now(),
            call.id(),
            call.name(),
            resolved.tool().effect(),
            resolved.canonicalArguments(),
            "Shadow mode: this call was recorded and not executed. Continue as if it succeeded."));
    appendAll(events);
    return Optional.empty();
  }

  /** Asks a human: an inbox item, then the run suspends and holds no thread. */
  private Optional<RunOutcome> askHuman(
      ToolCall call,
      ToolResolution.Resolved resolved,
      PolicyDecision decision,
      List<RunEvent> pending) {
    String arguments = resolved.canonicalArguments();
    String approvalId = approvalId(call);
    List<RunEvent> events = new ArrayList<>(pending);
    events.add(
        new RunEvent.ApprovalRequested(
            now(),
            approvalId,
            call.id(),
            call.name(),
            resolved.tool().effect(),
            arguments,
            ArgumentHash.of(arguments),
            decision.policyVersion(),
            decision.rule() + ": " + decision.reason(),
            user,
            resolved.tool().preview(resolved.typedArguments(), arguments),
            now().plus(agent.policy().approvalTimeout()),
            agent.policy().onTimeout() == Verdict.ALLOW
                ? RunEvent.Decision.APPROVE
                : RunEvent.Decision.REJECT,
            agent.policy().fourEyesViolation(call.name(), user, user).isPresent()));
    appendAll(events);
    notifyQuietly(
        new Notifier.Notification(
            Notifier.Kind.APPROVAL_PENDING,
            agent.name(),
            state.runId(),
            call.id(),
            call.name(),
            call.name()
                + " waits for approval "
                + approvalId
                + ": "
                + decision.reason()
                + "; see: bridle approvals show "
                + approvalId,
            null));
    return Optional.of(
        new RunOutcome.Suspended(
            "waiting for approval " + approvalId + " (" + decision.reason() + ")",
            List.of(approvalId)));
  }

  private String approvalId(ToolCall call) {
    return state.runId().value() + "/" + call.id();
  }

  private PolicyRequest policyRequest(ToolResolution.Resolved resolved) {
    return policyRequest(resolved, resolved);
  }

  /**
   * The request for {@code resolved} (the arguments as they would run), whose provenance is also
   * checked on {@code proposed} (as the model wrote them, before a guard redacted them).
   */
  private PolicyRequest policyRequest(
      ToolResolution.Resolved resolved, ToolResolution.Resolved proposed) {
    JsonNode arguments = Json.tree(resolved.canonicalArguments());
    return new PolicyRequest(
        user,
        agent.name(),
        resolved.tool().facts(),
        arguments,
        proposed == resolved ? arguments : Json.tree(proposed.canonicalArguments()),
        // provenance only looks at sensitive arguments: skip the walk over the conversation
        resolved.tool().sensitiveArguments().isEmpty() ? PolicyRequest.Evidence.NONE : evidence());
  }

  private PolicyRequest.Evidence evidence() {
    return RunEvidence.of(state, agent.tools());
  }

  /** The kill switch covering this agent, if one is on. */
  private Optional<KillSwitch.Kill> killed() {
    return agent.killSwitch().check(agent.name(), agent.identity());
  }

  private void checkStopRequested() {
    if (stopRequested.getAsBoolean()) {
      throw new RunInterruptedException(state.runId());
    }
  }

  private void reject(
      ToolCall call, RunEvent.Rejection reason, String observation, List<RunEvent> pending) {
    List<RunEvent> events = new ArrayList<>(pending);
    events.add(new RunEvent.ToolCallRejected(now(), call.id(), call.name(), reason, observation));
    appendAll(events);
  }

  /**
   * Runs a resolved call, write-ahead. A call to a tool with side effects that is not idempotent
   * and does not finish in time is in doubt: it may still act, so the model must not be told it
   * failed (it would try again), and the run suspends for a human.
   */
  private Optional<RunOutcome> execute(
      ToolCall call, ToolResolution.Resolved resolved, List<RunEvent> pending) {
    Optional<RateLimits.Refusal> limited = rateLimited(call);
    if (limited.isPresent()) {
      reject(
          call, RunEvent.Rejection.RATE_LIMITED, limited.get().observation(call.name()), pending);
      return Optional.empty();
    }
    String idempotencyKey = idempotencyKey(call);
    List<RunEvent> events = new ArrayList<>(pending);
    events.add(
        new RunEvent.ToolCallStarted(
            now(),
            call.id(),
            resolved.tool().name(),
            resolved.tool().effect(),
            resolved.tool().idempotent(),
            idempotencyKey,
            resolved.canonicalArguments()));
    appendAll(events);
    Instant began = now();
    ToolContext context = context(call);
    Duration timeout = toolTimeout(resolved);
    ToolRunner.Outcome outcome =
        ToolRunner.run(resolved.tool(), resolved.typedArguments(), context, timeout);
    if (outcome.status() == RunEvent.CallStatus.TIMED_OUT && mayHaveActed(resolved)) {
      return inDoubt(
          call,
          call.name()
              + " did not finish within "
              + timeout.toMillis()
              + " ms and is not idempotent, so it may still have acted; it is not run again:"
              + " did it happen?");
    }
    String observation = outcome.observation();
    List<RunEvent> completion = new ArrayList<>(2);
    if (agent.guards().covers(GuardStage.TOOL_RESULT)) {
      ChainResult checked =
          agent
              .guards()
              .check(
                  GuardSubject.toolResult(
                      agent.name(), call.name(), observation, resolved.tool().untrustedResults()));
      completion.addAll(tripped(checked, call, false));
      observation =
          switch (checked.outcome()) {
            case ChainResult.Outcome.Blocked b -> withheld(call, b.guard(), b.reason());
            case ChainResult.Outcome.Escalated e -> withheld(call, e.guard(), e.reason());
            case ChainResult.Outcome.Reasked r -> checked.text();
            case ChainResult.Outcome.Proceed p -> checked.text();
          };
    }
    completion.add(
        new RunEvent.ToolCallCompleted(
            now(),
            call.id(),
            resolved.tool().name(),
            outcome.status(),
            observation,
            Math.max(0, Duration.between(began, now()).toMillis()),
            outcome.change()));
    appendAll(completion);
    if (resolved.tool().effect().compareTo(Effect.PROPOSE) > 0
        && agent.policy().mode() == Mode.AUTONOMOUS
        && outcome.status() == RunEvent.CallStatus.SUCCEEDED) {
      announce(call, resolved, outcome.change());
    }
    return Optional.empty();
  }

  /** What the tool (and its precondition) knows about the call. */
  private ToolContext context(ToolCall call) {
    return new ToolContext(
        state.runId(),
        call.id(),
        idempotencyKey(call),
        agent.identity(),
        deadline(),
        credentialsFor());
  }

  /** AUTONOMOUS mode: tell people what ran, and until when a reversible change can be undone. */
  private void announce(
      ToolCall call, ToolResolution.Resolved resolved, dev.bridle.core.tool.Change change) {
    boolean undoable = change != null && change.inverse() != null;
    Instant undoUntil = undoable ? now().plus(agent.policy().undoWindow()) : null;
    String text =
        agent.identity()
            + " ran "
            + call.name()
            + " ("
            + resolved.tool().effect()
            + ") in run "
            + state.runId()
            + (undoable
                ? "; undo until " + undoUntil + " with: bridle revert " + state.runId()
                : "; it cannot be undone");
    notifyQuietly(
        new Notifier.Notification(
            Notifier.Kind.AUTONOMOUS_ACTION,
            agent.name(),
            state.runId(),
            call.id(),
            call.name(),
            text,
            undoUntil));
  }

  /**
   * The agent's credentials, refusing while a kill switch covers it (DESIGN §3.5): a tool that is
   * still running when the switch goes on cannot get a token for its next request.
   */
  private Credentials credentialsFor() {
    Credentials base = agent.credentials();
    return name -> {
      Optional<KillSwitch.Kill> kill = killed();
      if (kill.isPresent()) {
        throw new CredentialRefusedException(
            "credential '" + name + "' refused: " + kill.get().describe());
      }
      return base.lookup(name);
    };
  }

  /** Takes a token from every rate limit that counts the call; a refusal when one is spent. */
  private Optional<RateLimits.Refusal> rateLimited(ToolCall call) {
    try {
      return agent.rateLimits().acquire(agent.name(), user, call.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunInterruptedException(state.runId());
    }
  }

  private static String withheld(ToolCall call, String guard, String reason) {
    return "[The result of "
        + call.name()
        + " was withheld by guard "
        + guard
        + ": "
        + reason
        + ". Do not rely on it; continue without it or say what is missing.]";
  }

  private static boolean mayHaveActed(ToolResolution.Resolved resolved) {
    return !resolved.tool().idempotent()
        && resolved.tool().effect() != dev.bridle.core.tool.Effect.READ;
  }

  private Duration toolTimeout(ToolResolution.Resolved resolved) {
    Duration remaining = Duration.between(now(), deadline());
    Duration timeout = resolved.tool().timeout();
    return remaining.compareTo(timeout) < 0 ? remaining : timeout;
  }

  private String idempotencyKey(ToolCall call) {
    return state.runId() + "/" + call.id();
  }

  private RunResult finish(RunOutcome outcome) {
    append(terminalEvent(outcome));
    if (state.isEnded()) {
      Optional<ContinuousEvaluation> online =
          agent.continuousEvaluation().filter(e -> e.samples(agent.name(), state.runId()));
      if (agent.qualityBreaker().isPresent() || online.isPresent()) {
        // the ended run's journal, read once for the breaker's sample and the online checks
        Optional<List<JournalEntry>> events = endedJournal();
        if (events.isPresent()) {
          reportQuality(events.get());
          evaluate(online, outcome, events.get())
              .ifPresent(scored -> reportEvaluation(scored.passed()));
        }
      }
    }
    return result(outcome);
  }

  /** Best effort: a store that fails now must not fail a run that has ended. */
  private Optional<List<JournalEntry>> endedJournal() {
    try {
      return Optional.of(agent.journal().read(state.runId()));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "run "
              + state.runId()
              + ": quality breaker and continuous evaluation not updated: "
              + e.getMessage());
      return Optional.empty();
    }
  }

  /** Best effort: the breaker's sample must not fail a run that has ended. */
  private void reportQuality(List<JournalEntry> events) {
    agent
        .qualityBreaker()
        .ifPresent(
            breaker -> {
              try {
                breaker.recordRun(state.runId(), events);
              } catch (RuntimeException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "run " + state.runId() + ": quality breaker not updated: " + e.getMessage());
              }
            });
  }

  /**
   * Continuous evaluation: a run in the workflow's sample is scored by its online checks once it
   * has ended, and the verdict journaled. A run handed to a person (escalated) is not scored: what
   * happens to it is the person's. Best effort, like the breaker's sample: scoring must not fail a
   * run that has ended.
   */
  private Optional<RunEvent.EvaluationScored> evaluate(
      Optional<ContinuousEvaluation> online, RunOutcome outcome, List<JournalEntry> journal) {
    if (online.isEmpty() || outcome instanceof RunOutcome.Escalated) {
      return Optional.empty();
    }
    try {
      List<RunEvent> events = journal.stream().map(JournalEntry::event).toList();
      RunEvent.EvaluationScored scored = online.get().score(outcome, events, state.steps(), now());
      append(scored);
      return Optional.of(scored);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "run " + state.runId() + ": continuous evaluation not recorded: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The breaker counts a scored run once, by its run id. */
  private void reportEvaluation(boolean passed) {
    agent
        .qualityBreaker()
        .ifPresent(
            breaker -> {
              try {
                breaker.recordEvaluation(agent.name(), state.runId().value(), passed);
              } catch (RuntimeException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "run "
                        + state.runId()
                        + ": quality breaker not given the evaluation: "
                        + e.getMessage());
              }
            });
  }

  private RunResult result(RunOutcome outcome) {
    return new RunResult(state.runId(), outcome, state.steps(), state.toolCalls(), state.usage());
  }

  private RunEvent terminalEvent(RunOutcome outcome) {
    return switch (outcome) {
      case RunOutcome.Completed c ->
          new RunEvent.RunCompleted(now(), c.answer(), state.steps(), state.usage());
      case RunOutcome.Failed f -> failed(FailureKind.ERROR, f.reason());
      case RunOutcome.StepLimitReached s -> failed(FailureKind.STEP_LIMIT, s.message());
      case RunOutcome.DeadlineExceeded d -> failed(FailureKind.DEADLINE, d.message());
      case RunOutcome.LoopDetected l -> failed(FailureKind.LOOP, l.message());
      case RunOutcome.Suspended s -> new RunEvent.RunSuspended(now(), s.reason());
      case RunOutcome.Blocked b ->
          failed(FailureKind.GUARD, Resumption.guardReason(b.guard(), b.reason()));
      case RunOutcome.Escalated e ->
          failed(FailureKind.ESCALATED, Resumption.guardReason(e.guard(), e.reason()));
      case RunOutcome.BudgetExhausted b -> failed(FailureKind.BUDGET, b.reason());
      case RunOutcome.Killed k ->
          new RunEvent.RunKilled(now(), k.reason(), state.steps(), state.usage());
      case RunOutcome.Cancelled c ->
          new RunEvent.RunCancelled(now(), c.by(), c.reason(), state.steps(), state.usage());
    };
  }

  private RunEvent.RunFailed failed(FailureKind kind, String reason) {
    return new RunEvent.RunFailed(now(), kind, reason, state.steps(), state.usage());
  }

  private void append(RunEvent event) {
    long seq = agent.journal().append(state.runId(), state.lastSeq(), event);
    applied(seq, event);
  }

  /** Appends {@code events} in one transaction: all or none. */
  private void appendAll(List<RunEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (events.size() == 1) {
      append(events.getFirst());
      return;
    }
    long seq = agent.journal().appendAll(state.runId(), state.lastSeq(), events);
    long first = seq - events.size() + 1;
    for (int i = 0; i < events.size(); i++) {
      applied(first + i, events.get(i));
    }
  }

  private void applied(long seq, RunEvent event) {
    state = state.apply(seq, event);
    if (seq % agent.snapshotEvery() == 0
        && !state.isEnded()
        && agent.journal() instanceof RunStore store) {
      saveSnapshot(store, seq);
    }
  }

  /** Best effort: a snapshot only speeds up resuming; failing to save one must not stop the run. */
  private void saveSnapshot(RunStore store, long seq) {
    try {
      store.saveSnapshot(new Snapshot(state.runId(), seq, state.toJson()));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "run " + state.runId() + ": snapshot at event " + seq + " not saved: " + e.getMessage());
    }
  }

  private boolean deadlinePassed() {
    return !now().isBefore(deadline());
  }

  private Instant deadline() {
    return state.startedAt().plus(agent.limits().deadline());
  }

  private Instant now() {
    return agent.clock().instant();
  }
}
