package dev.bridle.observability;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@link RunTrail} makes of one journal event: the spans to write and the measurements to
 * record. Plain data, so that rebuilding a trail from the journal can fold events without writing
 * anything twice.
 */
sealed interface Observation {

  /** The run the observation belongs to. */
  RunContext run();

  /**
   * What every span and meter of a run shares.
   *
   * @param workflow the workflow name; {@code unknown} until the journal names it
   * @param agent the acting identity, {@code agent:<workflow>@<version>}
   * @param modelId the configured model, {@code provider:name}
   */
  record RunContext(
      RunId runId, String workflow, String workflowVersion, String agent, String modelId) {

    String traceId() {
      return TraceIds.traceId(runId);
    }
  }

  /** A run began (or a queued one was picked up) or continued. */
  record RunBegan(RunContext run, boolean resumed) implements Observation {}

  /** A run was put on the queue. */
  record RunQueued(RunContext run) implements Observation {}

  /**
   * A segment of a run ended: it suspended, was killed, ended, or was interrupted (a crash, a lost
   * lease) and is found so when the run is picked up again.
   *
   * @param end the event that ended it; empty when it was interrupted
   * @param task the run's task, on the first segment only
   * @param instructions the workflow's instructions, on the first segment only
   */
  record SegmentEnded(
      RunContext run,
      Segment segment,
      Instant endedAt,
      Optional<RunEvent> end,
      Optional<String> task,
      Optional<String> instructions)
      implements Observation {}

  /**
   * A run came to an outcome: suspended, killed, completed, failed or cancelled.
   *
   * @param outcome {@code completed}, {@code failed}, {@code suspended}, {@code killed} or {@code
   *     cancelled}
   * @param reason the failure kind in lower case, or {@code none}
   * @param runDuration from {@code RunStarted} to this end, for the outcomes that end the run
   */
  record RunOutcome(RunContext run, String outcome, String reason, Optional<Duration> runDuration)
      implements Observation {}

  /** A model answered, inside the segment whose span id is {@code parentSpanId}. */
  record ModelCalled(RunContext run, String parentSpanId, RunEvent.ModelResponded event)
      implements Observation {}

  /**
   * A tool call ended, or was found in doubt.
   *
   * @param started the write-ahead event; empty when the journal has none (it always should)
   * @param completed how it ended; empty when it is in doubt
   * @param inDoubt the in-doubt event, when the call's outcome is unknown
   * @param policy the policy decision that let it run
   * @param approval the human decision that let it run, when one was needed
   */
  record ToolExecuted(
      RunContext run,
      String parentSpanId,
      Optional<RunEvent.ToolCallStarted> started,
      Optional<RunEvent.ToolCallCompleted> completed,
      Optional<RunEvent.ToolCallInDoubt> inDoubt,
      Optional<RunEvent.PolicyDecided> policy,
      Optional<RunEvent.ApprovalDecided> approval)
      implements Observation {}

  /**
   * A human (or the timeout) decided a call that waited since {@code askedAt}.
   *
   * @param kind {@code approval} for a policy approval, {@code in_doubt} for a call in doubt
   */
  record ApprovalAwaited(
      RunContext run,
      String parentSpanId,
      Instant askedAt,
      String toolName,
      String kind,
      RunEvent.ApprovalDecided decided)
      implements Observation {}

  /** A call now waits for a human. */
  record ApprovalAsked(RunContext run, RunEvent.ApprovalRequested event) implements Observation {}

  /** Policy decided a call. */
  record PolicyChecked(RunContext run, RunEvent.PolicyDecided event) implements Observation {}

  /** A proposed call was not run. */
  record ToolRejected(RunContext run, RunEvent.ToolCallRejected event) implements Observation {}

  /** A guard did not simply pass. */
  record GuardTripped(RunContext run, RunEvent.GuardTripped event) implements Observation {}

  /** Spending crossed a budget's threshold. */
  record BudgetCrossed(RunContext run, RunEvent.BudgetThresholdCrossed event)
      implements Observation {}

  /** A change was undone by its inverse call. */
  record ChangeReverted(RunContext run, String parentSpanId, RunEvent.ChangeReverted event)
      implements Observation {}
}
