package dev.bridle.core.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.tool.Effect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One tool call of a run as its journal tells it: what the model proposed, the arguments it ran
 * with (an approver's edit, or the proposal), and everything that happened to it.
 *
 * @param callId the call's id in the run
 * @param tool the tool the model asked for
 * @param step the model call that proposed it (from 1)
 * @param proposedArguments the arguments as the model wrote them (possibly not JSON)
 * @param arguments the arguments it ran with: the approver's edit when there was one, else the
 *     proposal
 * @param effect the tool's effect, once the call was resolved to a tool
 * @param statuses what happened to it; empty while nothing but the proposal is known
 */
public record ObservedCall(
    String callId,
    String tool,
    int step,
    String proposedArguments,
    String arguments,
    Optional<Effect> effect,
    Set<Status> statuses) {

  public ObservedCall {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(proposedArguments, "proposedArguments");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(effect, "effect");
    statuses =
        statuses.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(statuses));
  }

  /** What happened to a call. A call can have several: asked, then executed. */
  public enum Status {
    /** The tool ran and succeeded. */
    EXECUTED,
    /** The tool ran and failed or timed out. */
    FAILED,
    /** Policy denied it (or refused an approver's edit when the call was to run). */
    DENIED,
    /** It waited for a human decision. */
    ASKED,
    /** A human rejected it (or answered in its place). */
    REJECTED,
    /** A guard refused its arguments. */
    BLOCKED,
    /** The tool does not exist or the arguments did not validate. */
    INVALID,
    /** A rate limit refused it. */
    RATE_LIMITED,
    /**
     * The tool's precondition refused it, or could not be checked: it was neither asked about nor
     * run.
     */
    PRECONDITION_FAILED,
    /** Shadow mode recorded it without running it. */
    SHADOWED,
    /**
     * An approver's edit of it was refused: by {@link dev.bridle.core.approval.Approvals#decide}
     * (the arguments do not validate or policy denies them; nothing is journaled and the approval
     * stays pending, so only the caller that tried knows: see {@link #withStatus}), or when the
     * approved call was to run ({@code ToolCallRejected(EDIT_REFUSED)}, also {@link #DENIED}).
     */
    EDIT_REFUSED;

    /** The name suites use: {@code executed}, {@code rate-limited}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The status a suite names, if it is one. */
    public static Optional<Status> fromKey(String key) {
      for (Status status : values()) {
        if (status.key().equals(key)) {
          return Optional.of(status);
        }
      }
      return Optional.empty();
    }
  }

  /** Whether the tool ran (successfully or not). */
  public boolean ran() {
    return statuses.contains(Status.EXECUTED) || statuses.contains(Status.FAILED);
  }

  /**
   * Whether the call changed something: it ran successfully and its tool's effect is above {@link
   * Effect#READ}.
   */
  public boolean wrote() {
    return statuses.contains(Status.EXECUTED) && effect.filter(e -> e != Effect.READ).isPresent();
  }

  /**
   * This call with {@code status} added: for what the journal does not tell, such as an edit that
   * {@link dev.bridle.core.approval.Approvals#decide} refused.
   */
  public ObservedCall withStatus(Status status) {
    Objects.requireNonNull(status, "status");
    Set<Status> more = EnumSet.noneOf(Status.class);
    more.addAll(statuses);
    more.add(status);
    return new ObservedCall(callId, tool, step, proposedArguments, arguments, effect, more);
  }

  /** {@link #arguments()} as a JSON tree; a text node when they are not JSON. */
  public JsonNode argumentsTree() {
    return Json.tree(arguments);
  }

  /** The calls of a run in the order the model proposed them. */
  public static List<ObservedCall> of(List<RunEvent> events) {
    Map<String, Builder> calls = new LinkedHashMap<>();
    for (RunEvent event : events) {
      switch (event) {
        case RunEvent.ToolCallProposed e ->
            calls.put(e.callId(), new Builder(e.callId(), e.toolName(), e.step(), e.arguments()));
        case RunEvent.ToolCallRejected e ->
            with(
                calls,
                e.callId(),
                b -> {
                  b.statuses.add(status(e.reason()));
                  if (e.reason() == RunEvent.Rejection.EDIT_REFUSED) {
                    b.statuses.add(Status.EDIT_REFUSED);
                  }
                });
        case RunEvent.PolicyDecided e -> {
          if (e.verdict() == dev.bridle.core.policy.Verdict.DENY) {
            with(calls, e.callId(), b -> b.statuses.add(Status.DENIED));
          }
        }
        case RunEvent.ApprovalRequested e ->
            with(
                calls,
                e.callId(),
                b -> {
                  b.statuses.add(Status.ASKED);
                  b.effect = e.effect();
                  b.arguments = e.arguments();
                });
        case RunEvent.ApprovalDecided e ->
            with(
                calls,
                e.callId(),
                b -> {
                  switch (e.decision()) {
                    case REJECT, RESPOND -> b.statuses.add(Status.REJECTED);
                    case EDIT -> b.arguments = e.arguments();
                    case APPROVE -> {}
                  }
                });
        case RunEvent.ToolCallStarted e ->
            with(
                calls,
                e.callId(),
                b -> {
                  b.effect = e.effect();
                  b.arguments = e.arguments();
                });
        case RunEvent.ToolCallCompleted e ->
            with(
                calls,
                e.callId(),
                b ->
                    b.statuses.add(
                        e.status() == RunEvent.CallStatus.SUCCEEDED
                            ? Status.EXECUTED
                            : Status.FAILED));
        case RunEvent.ToolCallShadowed e ->
            with(
                calls,
                e.callId(),
                b -> {
                  b.statuses.add(Status.SHADOWED);
                  b.effect = e.effect();
                  b.arguments = e.arguments();
                });
        default -> {}
      }
    }
    List<ObservedCall> observed = new ArrayList<>(calls.size());
    calls.values().forEach(b -> observed.add(b.build()));
    return observed;
  }

  private static Status status(RunEvent.Rejection rejection) {
    return switch (rejection) {
      case UNKNOWN_TOOL, INVALID_ARGUMENTS -> Status.INVALID;
      case POLICY_DENIED, EDIT_REFUSED -> Status.DENIED;
      case GUARD_BLOCKED -> Status.BLOCKED;
      case RATE_LIMITED -> Status.RATE_LIMITED;
      case PRECONDITION_FAILED, PRECONDITION_ERROR -> Status.PRECONDITION_FAILED;
    };
  }

  private static void with(
      Map<String, Builder> calls, String callId, java.util.function.Consumer<Builder> change) {
    Builder builder = calls.get(callId);
    if (builder != null) {
      change.accept(builder);
    }
  }

  private static final class Builder {
    private final String callId;
    private final String tool;
    private final int step;
    private final String proposed;
    private String arguments;
    private Effect effect;
    private final Set<Status> statuses = EnumSet.noneOf(Status.class);

    Builder(String callId, String tool, int step, String proposed) {
      this.callId = callId;
      this.tool = tool;
      this.step = step;
      this.proposed = proposed;
      this.arguments = proposed;
    }

    ObservedCall build() {
      return new ObservedCall(
          callId, tool, step, proposed, arguments, Optional.ofNullable(effect), statuses);
    }
  }
}
