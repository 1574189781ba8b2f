package dev.bridle.observability;

import dev.bridle.core.guard.Redactor;
import dev.bridle.core.journal.RunEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the spans of a run from {@link Observation}s, with the timestamps the journal recorded:
 * {@code invoke_agent {workflow}} per segment, {@code chat {model}} per model call, {@code
 * execute_tool {tool}} per tool call and {@code await_approval {tool}} per human decision. Every
 * span of a run has the trace id {@link TraceIds#traceId} derives from the run id.
 */
final class SpanWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SpanWriter.class);

  /** The most characters of a reason or an identifier the model chose, after redaction. */
  private static final int MAX_REASON_CHARS = 500;

  private static final int MAX_NAME_CHARS = 128;

  private final Tracer tracer;
  private final RunScopedIdGenerator ids;
  private final ContentCapture capture;
  private final Content content;
  private final AtomicBoolean warnedAboutIds = new AtomicBoolean();

  SpanWriter(Tracer tracer, RunScopedIdGenerator ids, ContentCapture capture) {
    this.tracer = tracer;
    this.ids = ids;
    this.capture = capture;
    this.content = new Content(capture);
  }

  void write(Observation observation) {
    switch (observation) {
      case Observation.SegmentEnded s -> segment(s);
      case Observation.ModelCalled m -> chat(m);
      case Observation.ToolExecuted t -> tool(t);
      case Observation.ApprovalAwaited a -> approval(a);
      case Observation.ChangeReverted r -> revert(r);
      case Observation.RunBegan b -> {}
      case Observation.RunQueued q -> {}
      case Observation.RunOutcome o -> {}
      case Observation.ApprovalAsked a -> {}
      case Observation.PolicyChecked p -> {}
      case Observation.ToolRejected r -> {}
      case Observation.GuardTripped g -> {}
      case Observation.BudgetCrossed b -> {}
    }
  }

  private void segment(Observation.SegmentEnded ended) {
    Observation.RunContext run = ended.run();
    Segment segment = ended.segment();
    GenAi.Model model = GenAi.Model.of(run.modelId());
    SpanBuilder builder =
        tracer
            .spanBuilder(GenAi.INVOKE_AGENT + " " + run.workflow())
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(segment.start());
    if (segment.root()) {
      builder.setNoParent();
    } else {
      builder.setParent(parent(run, TraceIds.rootSpanId(run.runId())));
    }
    Span span = ids.withIds(run.traceId(), segment.spanId(), builder::startSpan);
    checkIds(span, run, segment);
    span.setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT);
    span.setAttribute(GenAi.PROVIDER_NAME, model.provider());
    span.setAttribute(GenAi.AGENT_NAME, run.workflow());
    if (!run.agent().isEmpty()) {
      span.setAttribute(GenAi.AGENT_ID, run.agent());
    }
    if (!run.workflowVersion().isEmpty()) {
      span.setAttribute(GenAi.AGENT_VERSION, run.workflowVersion());
    }
    span.setAttribute(GenAi.CONVERSATION_ID, run.runId().value());
    span.setAttribute(GenAi.REQUEST_MODEL, model.name());
    span.setAttribute(GenAi.INPUT_TOKENS, segment.usage().inputTokens());
    span.setAttribute(GenAi.OUTPUT_TOKENS, segment.usage().outputTokens());
    span.setAttribute(GenAi.RUN_ID, run.runId().value());
    span.setAttribute(GenAi.RUN_SEGMENT_SEQ, segment.startSeq());
    span.setAttribute(GenAi.RUN_STEPS, (long) segment.lastStep());
    segment.resumedBy().ifPresent(by -> span.setAttribute(GenAi.RUN_RESUMED_BY, safeName(by)));
    segment
        .costUsd()
        .map(BigDecimal::doubleValue)
        .ifPresent(c -> span.setAttribute(GenAi.COST_USD, c));
    if (segment.droppedMarks() > 0) {
      span.setAttribute(GenAi.DROPPED_EVENTS, (long) segment.droppedMarks());
    }
    if (capture.enabled()) {
      ended.task().ifPresent(t -> span.setAttribute(GenAi.INPUT_MESSAGES, content.userMessage(t)));
      ended
          .instructions()
          .filter(i -> !i.isBlank())
          .ifPresent(i -> span.setAttribute(GenAi.SYSTEM_INSTRUCTIONS, content.instructions(i)));
    }
    for (RunEvent mark : segment.marks()) {
      event(span, mark);
    }
    outcome(span, ended.end());
    span.end(notBefore(ended.endedAt(), segment.start()));
  }

  private void outcome(Span span, Optional<RunEvent> end) {
    if (end.isEmpty()) {
      span.setAttribute(GenAi.RUN_OUTCOME, "interrupted");
      span.setAttribute(GenAi.ERROR_TYPE, "interrupted");
      span.setStatus(StatusCode.ERROR, "the run was interrupted and continued later");
      return;
    }
    switch (end.get()) {
      case RunEvent.RunCompleted c -> {
        span.setAttribute(GenAi.RUN_OUTCOME, "completed");
        if (capture.enabled()) {
          span.setAttribute(GenAi.OUTPUT_MESSAGES, content.answer(c.answer()));
        }
      }
      case RunEvent.RunFailed f -> {
        String kind = f.kind().name().toLowerCase(Locale.ROOT);
        span.setAttribute(GenAi.RUN_OUTCOME, "failed");
        span.setAttribute(GenAi.RUN_REASON, kind);
        span.setAttribute(GenAi.ERROR_TYPE, kind);
        span.setStatus(StatusCode.ERROR, reason(f.reason()));
      }
      case RunEvent.RunSuspended s -> {
        span.setAttribute(GenAi.RUN_OUTCOME, "suspended");
        span.setAttribute(GenAi.RUN_REASON, reason(s.reason()));
      }
      case RunEvent.RunKilled k -> {
        span.setAttribute(GenAi.RUN_OUTCOME, "killed");
        span.setAttribute(GenAi.RUN_REASON, reason(k.reason()));
      }
      case RunEvent.RunCancelled c -> {
        span.setAttribute(GenAi.RUN_OUTCOME, "cancelled");
        span.setAttribute(GenAi.RUN_REASON, reason(c.reason()));
      }
      default -> span.setAttribute(GenAi.RUN_OUTCOME, "unknown");
    }
  }

  private void event(Span span, RunEvent mark) {
    switch (mark) {
      case RunEvent.PolicyDecided p ->
          span.addEvent(
              "bridle.policy.decided",
              Attributes.builder()
                  .put(GenAi.TOOL_NAME, safeName(p.toolName()))
                  .put(GenAi.TOOL_CALL_ID, safeName(p.callId()))
                  .put(GenAi.POLICY_DECISION, lower(p.verdict()))
                  .put(GenAi.POLICY_RULE, reason(p.rule()))
                  .put(GenAi.POLICY_REASON, reason(p.reason()))
                  .build(),
              p.at());
      case RunEvent.ToolCallRejected r ->
          span.addEvent(
              "bridle.tool.rejected",
              Attributes.builder()
                  .put(GenAi.TOOL_NAME, safeName(r.toolName()))
                  .put(GenAi.TOOL_CALL_ID, safeName(r.callId()))
                  .put(GenAi.REJECTION, lower(r.reason()))
                  .build(),
              r.at());
      case RunEvent.ToolCallShadowed s ->
          span.addEvent(
              "bridle.tool.shadowed",
              Attributes.builder()
                  .put(GenAi.TOOL_NAME, safeName(s.toolName()))
                  .put(GenAi.TOOL_CALL_ID, safeName(s.callId()))
                  .put(GenAi.TOOL_EFFECT, lower(s.effect()))
                  .build(),
              s.at());
      case RunEvent.ApprovalRequested a ->
          span.addEvent(
              "bridle.approval.requested",
              Attributes.builder()
                  .put(GenAi.APPROVAL_ID, safeName(a.approvalId()))
                  .put(GenAi.TOOL_NAME, safeName(a.toolName()))
                  .put(GenAi.TOOL_CALL_ID, safeName(a.callId()))
                  .put(GenAi.TOOL_EFFECT, lower(a.effect()))
                  .put(GenAi.POLICY_REASON, reason(a.reason()))
                  .build(),
              a.at());
      case RunEvent.GuardTripped g -> {
        AttributesBuilder attributes =
            Attributes.builder()
                .put(GenAi.GUARD_NAME, safeName(g.guard()))
                .put(GenAi.GUARD_STAGE, g.stage().configName())
                .put(GenAi.GUARD_KIND, lower(g.kind()))
                .put(GenAi.GUARD_REASON, reason(g.reason()));
        if (g.toolName() != null) {
          attributes.put(GenAi.TOOL_NAME, safeName(g.toolName()));
        }
        span.addEvent("bridle.guard.tripped", attributes.build(), g.at());
      }
      case RunEvent.BudgetThresholdCrossed b ->
          span.addEvent(
              "bridle.budget.crossed",
              Attributes.builder()
                  .put(GenAi.BUDGET_HARD, b.hard())
                  .put(GenAi.BUDGET_MESSAGE, reason(b.message()))
                  .build(),
              b.at());
      default -> {}
    }
  }

  private void chat(Observation.ModelCalled called) {
    Observation.RunContext run = called.run();
    RunEvent.ModelResponded event = called.event();
    GenAi.Model model = GenAi.Model.of(event.modelId());
    Instant end = event.at();
    Instant start = end.minusMillis(Math.max(0, event.latencyMillis()));
    String finishReason = event.message().hasToolCalls() ? "tool_calls" : "stop";
    Span span =
        tracer
            .spanBuilder(GenAi.CHAT + " " + model.name())
            .setSpanKind(SpanKind.CLIENT)
            .setParent(parent(run, called.parentSpanId()))
            .setStartTimestamp(start)
            .startSpan();
    span.setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT);
    span.setAttribute(GenAi.PROVIDER_NAME, model.provider());
    span.setAttribute(GenAi.REQUEST_MODEL, model.name());
    span.setAttribute(GenAi.RESPONSE_MODEL, model.name());
    span.setAttribute(GenAi.CONVERSATION_ID, run.runId().value());
    span.setAttribute(GenAi.FINISH_REASONS, List.of(finishReason));
    if (event.usage() != null) {
      span.setAttribute(GenAi.INPUT_TOKENS, event.usage().inputTokens());
      span.setAttribute(GenAi.OUTPUT_TOKENS, event.usage().outputTokens());
      if (event.usage().cachedInputTokens() > 0) {
        span.setAttribute(GenAi.CACHE_READ_INPUT_TOKENS, event.usage().cachedInputTokens());
      }
    }
    span.setAttribute(GenAi.RUN_ID, run.runId().value());
    span.setAttribute(GenAi.STEP, (long) event.step());
    if (event.costUsd() != null) {
      span.setAttribute(GenAi.COST_USD, event.costUsd().doubleValue());
    }
    if (capture.enabled()) {
      span.setAttribute(
          GenAi.OUTPUT_MESSAGES, content.assistantMessage(event.message(), finishReason));
    }
    span.end(end);
  }

  private void tool(Observation.ToolExecuted executed) {
    Observation.RunContext run = executed.run();
    Optional<RunEvent.ToolCallStarted> started = executed.started();
    String toolName =
        started
            .map(RunEvent.ToolCallStarted::toolName)
            .or(() -> executed.completed().map(RunEvent.ToolCallCompleted::toolName))
            .or(() -> executed.inDoubt().map(RunEvent.ToolCallInDoubt::toolName))
            .orElse("unknown");
    String callId =
        started
            .map(RunEvent.ToolCallStarted::callId)
            .or(() -> executed.completed().map(RunEvent.ToolCallCompleted::callId))
            .or(() -> executed.inDoubt().map(RunEvent.ToolCallInDoubt::callId))
            .orElse("");
    Instant end =
        executed
            .completed()
            .map(RunEvent.ToolCallCompleted::at)
            .or(() -> executed.inDoubt().map(RunEvent.ToolCallInDoubt::at))
            .orElseThrow();
    Instant start =
        started
            .map(RunEvent.ToolCallStarted::at)
            .orElseGet(
                () ->
                    end.minusMillis(
                        executed
                            .completed()
                            .map(RunEvent.ToolCallCompleted::durationMillis)
                            .orElse(0L)));
    Span span =
        tracer
            .spanBuilder(GenAi.EXECUTE_TOOL + " " + safeName(toolName))
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(parent(run, executed.parentSpanId()))
            .setStartTimestamp(start)
            .startSpan();
    span.setAttribute(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL);
    span.setAttribute(GenAi.TOOL_NAME, safeName(toolName));
    span.setAttribute(GenAi.TOOL_CALL_ID, safeName(callId));
    span.setAttribute(GenAi.TOOL_TYPE, "function");
    span.setAttribute(GenAi.RUN_ID, run.runId().value());
    started.ifPresent(
        s -> {
          span.setAttribute(GenAi.TOOL_EFFECT, lower(s.effect()));
          span.setAttribute(GenAi.TOOL_IDEMPOTENT, s.idempotent());
        });
    executed
        .policy()
        .ifPresent(
            p -> {
              span.setAttribute(GenAi.POLICY_DECISION, lower(p.verdict()));
              span.setAttribute(GenAi.POLICY_RULE, reason(p.rule()));
              if (p.policyVersion() != null) {
                span.setAttribute(GenAi.POLICY_VERSION, safeName(p.policyVersion()));
              }
            });
    executed
        .approval()
        .ifPresent(
            a -> {
              span.setAttribute(GenAi.APPROVAL_ID, safeName(a.approvalId()));
              span.setAttribute(GenAi.APPROVAL_DECISION, lower(a.decision()));
            });
    if (executed.completed().isPresent()) {
      RunEvent.ToolCallCompleted completed = executed.completed().get();
      span.setAttribute(GenAi.TOOL_STATUS, lower(completed.status()));
      switch (completed.status()) {
        case SUCCEEDED -> {}
        case FAILED -> {
          span.setAttribute(GenAi.ERROR_TYPE, "tool_error");
          span.setStatus(StatusCode.ERROR, "the tool failed");
        }
        case TIMED_OUT -> {
          span.setAttribute(GenAi.ERROR_TYPE, "timeout");
          span.setStatus(StatusCode.ERROR, "the tool did not finish in time");
        }
      }
      if (capture.enabled()) {
        span.setAttribute(GenAi.TOOL_CALL_RESULT, content.text(completed.observation()));
      }
    } else {
      span.setAttribute(GenAi.TOOL_STATUS, "in_doubt");
      span.setAttribute(GenAi.ERROR_TYPE, "in_doubt");
      span.setStatus(
          StatusCode.ERROR,
          reason(executed.inDoubt().map(RunEvent.ToolCallInDoubt::reason).orElse("")));
    }
    if (capture.enabled()) {
      started.ifPresent(
          s -> span.setAttribute(GenAi.TOOL_CALL_ARGUMENTS, content.text(s.arguments())));
    }
    span.end(notBefore(end, start));
  }

  private void approval(Observation.ApprovalAwaited awaited) {
    Observation.RunContext run = awaited.run();
    RunEvent.ApprovalDecided decided = awaited.decided();
    Span span =
        tracer
            .spanBuilder("await_approval " + safeName(awaited.toolName()))
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(parent(run, awaited.parentSpanId()))
            .setStartTimestamp(awaited.askedAt())
            .startSpan();
    span.setAttribute(GenAi.RUN_ID, run.runId().value());
    span.setAttribute(GenAi.TOOL_NAME, safeName(awaited.toolName()));
    span.setAttribute(GenAi.TOOL_CALL_ID, safeName(decided.callId()));
    span.setAttribute(GenAi.APPROVAL_ID, safeName(decided.approvalId()));
    span.setAttribute(GenAi.APPROVAL_KIND, awaited.kind());
    span.setAttribute(GenAi.APPROVAL_DECISION, lower(decided.decision()));
    span.end(notBefore(decided.at(), awaited.askedAt()));
  }

  private void revert(Observation.ChangeReverted reverted) {
    Observation.RunContext run = reverted.run();
    RunEvent.ChangeReverted event = reverted.event();
    Span span =
        tracer
            .spanBuilder(GenAi.EXECUTE_TOOL + " " + safeName(event.inverseTool()))
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(parent(run, reverted.parentSpanId()))
            .setStartTimestamp(event.at())
            .startSpan();
    span.setAttribute(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL);
    span.setAttribute(GenAi.TOOL_NAME, safeName(event.inverseTool()));
    span.setAttribute(GenAi.TOOL_CALL_ID, safeName(event.callId()));
    span.setAttribute(GenAi.TOOL_TYPE, "function");
    span.setAttribute(GenAi.TOOL_REVERTS, safeName(event.toolName()));
    span.setAttribute(GenAi.TOOL_STATUS, lower(event.status()));
    span.setAttribute(GenAi.RUN_ID, run.runId().value());
    if (event.status() != RunEvent.CallStatus.SUCCEEDED) {
      span.setAttribute(GenAi.ERROR_TYPE, lower(event.status()));
      span.setStatus(StatusCode.ERROR, "the inverse call did not succeed");
    }
    if (capture.enabled()) {
      span.setAttribute(GenAi.TOOL_CALL_ARGUMENTS, content.text(event.inverseArguments()));
      span.setAttribute(GenAi.TOOL_CALL_RESULT, content.text(event.observation()));
    }
    span.end(event.at());
  }

  private static Context parent(Observation.RunContext run, String spanId) {
    SpanContext context =
        SpanContext.createFromRemoteParent(
            run.traceId(), spanId, TraceFlags.getSampled(), TraceState.getDefault());
    return Context.root().with(Span.wrap(context));
  }

  private void checkIds(Span span, Observation.RunContext run, Segment segment) {
    SpanContext context = span.getSpanContext();
    if (context.isValid()
        && !(context.getTraceId().equals(run.traceId())
            && context.getSpanId().equals(segment.spanId()))
        && warnedAboutIds.compareAndSet(false, true)) {
      LOG.warn(
          "the tracer provider does not use Bridle's RunScopedIdGenerator: the spans of a run"
              + " will not share one trace across resumptions");
    }
  }

  private static Instant notBefore(Instant end, Instant start) {
    return end.isBefore(start) ? start : end;
  }

  private static String reason(String text) {
    return text == null ? "" : Redactor.redact(text, MAX_REASON_CHARS);
  }

  /** A name or id the model may have chosen (an unknown tool, a call id), redacted and cut. */
  private static String safeName(String text) {
    return text == null ? "" : Redactor.redact(text, MAX_NAME_CHARS);
  }

  private static String lower(Enum<?> value) {
    return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
  }
}
