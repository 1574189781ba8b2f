package dev.bridle.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.Usage;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans from a real run: GenAI names and attributes, one trace across suspension and nodes. */
class RunTracingTest {

  private final CrmScenario scenario = new CrmScenario();
  private final RunId runId = RunId.of("run-trace");
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Observability observability =
      Observability.builder().spanExporter(exporter).contentCapture(ContentCapture.OFF).build();

  @AfterEach
  void close() {
    observability.close();
  }

  @Test
  void oneTraceAcrossTheSuspensionAndTheResumptionWithGenAiNamesAndAttributes() {
    ObservedRunStore store = observability.observe(scenario.journal);
    Agent agent = scenario.agent(store);

    RunResult first = agent.run(runId, "Update the bio of lead L1", "bob");
    assertThat(first.outcome()).isInstanceOf(RunOutcome.Suspended.class);

    List<SpanData> beforeDecision = exporter.getFinishedSpanItems();
    assertThat(beforeDecision)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            "chat gpt-4o-mini",
            "execute_tool lookup_customer",
            "chat gpt-4o-mini",
            "chat gpt-4o-mini",
            "invoke_agent crm");
    SpanData root = one(beforeDecision, "invoke_agent crm");
    assertThat(root.getParentSpanContext().isValid()).isFalse();
    assertThat(root.getTraceId()).isEqualTo(TraceIds.traceId(runId));
    assertThat(root.getSpanId()).isEqualTo(TraceIds.rootSpanId(runId));
    assertThat(root.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("invoke_agent");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")))
        .isEqualTo("crm");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.id")))
        .isEqualTo("agent:crm@3");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("openai");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("bridle.run.id")))
        .isEqualTo("run-trace");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("bridle.run.outcome")))
        .isEqualTo("suspended");
    assertThat(root.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(3000L);
    assertThat(root.getAttributes().get(AttributeKey.doubleKey("bridle.cost.usd")))
        .isCloseTo(0.0042, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(root.getEvents())
        .extracting(e -> e.getName())
        .contains("bridle.policy.decided", "bridle.tool.rejected", "bridle.approval.requested");
    assertThat(root.getEvents())
        .filteredOn(e -> e.getName().equals("bridle.policy.decided"))
        .extracting(e -> e.getAttributes().get(AttributeKey.stringKey("bridle.policy.decision")))
        .containsExactly("allow", "deny", "ask");

    SpanData chat =
        beforeDecision.stream()
            .filter(s -> s.getName().startsWith("chat"))
            .findFirst()
            .orElseThrow();
    assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(chat.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("chat");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("openai");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
        .isEqualTo("gpt-4o-mini");
    assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(1000L);
    assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(200L);
    assertThat(
            chat.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("tool_calls");
    assertThat(chat.getEndEpochNanos() - chat.getStartEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
        .as("content is off")
        .isNull();

    SpanData lookup = one(beforeDecision, "execute_tool lookup_customer");
    assertThat(lookup.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
        .isEqualTo("lookup_customer");
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id")))
        .isEqualTo("call_1_1");
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("bridle.policy.decision")))
        .isEqualTo("allow");
    assertThat(lookup.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")))
        .isNull();

    scenario.clock.advance(Duration.ofSeconds(90));
    scenario
        .approvals(store, agent)
        .decide(CrmScenario.approvalId(runId), Decision.APPROVE, null, "", "alice");
    scenario.clock.advance(Duration.ofSeconds(5));
    RunResult resumed = agent.resume(runId, "node-2");
    assertThat(resumed.outcome()).isEqualTo(new RunOutcome.Completed("done"));

    List<SpanData> all = exporter.getFinishedSpanItems();
    assertThat(all).extracting(SpanData::getTraceId).containsOnly(TraceIds.traceId(runId));
    List<SpanData> segments =
        all.stream().filter(s -> s.getName().equals("invoke_agent crm")).toList();
    assertThat(segments).hasSize(2);
    SpanData second = segments.get(1);
    assertThat(second.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(second.getAttributes().get(AttributeKey.stringKey("bridle.run.outcome")))
        .isEqualTo("completed");
    assertThat(second.getAttributes().get(AttributeKey.stringKey("bridle.run.resumed_by")))
        .isEqualTo("node-2");

    SpanData wait = one(all, "await_approval set_bio");
    assertThat(wait.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(wait.getEndEpochNanos() - wait.getStartEpochNanos())
        .isEqualTo(TimeUnit.SECONDS.toNanos(90));
    assertThat(wait.getAttributes().get(AttributeKey.stringKey("bridle.approval.decision")))
        .isEqualTo("approve");

    SpanData setBio = one(all, "execute_tool set_bio");
    assertThat(setBio.getParentSpanId()).isEqualTo(second.getSpanId());
    assertThat(setBio.getAttributes().get(AttributeKey.stringKey("bridle.approval.id")))
        .isEqualTo(CrmScenario.approvalId(runId));
    assertThat(setBio.getAttributes().get(AttributeKey.stringKey("bridle.approval.decision")))
        .isEqualTo("approve");
    assertThat(setBio.getAttributes().get(AttributeKey.stringKey("bridle.policy.decision")))
        .isEqualTo("ask");
    SpanData lastChat =
        all.stream()
            .filter(
                s ->
                    s.getName().startsWith("chat")
                        && s.getParentSpanId().equals(second.getSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(
            lastChat
                .getAttributes()
                .get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("stop");
    assertThat(observability.observer().openRuns()).isZero();
  }

  @Test
  void anotherNodeContinuesTheSameTraceFromTheJournal() {
    Agent onFirstNode = scenario.agent(observability.observe(scenario.journal));
    onFirstNode.run(runId, "Update the bio of lead L1", "bob");

    InMemorySpanExporter secondExporter = InMemorySpanExporter.create();
    try (Observability secondNode =
        Observability.builder()
            .spanExporter(secondExporter)
            .contentCapture(ContentCapture.OFF)
            .build()) {
      ObservedRunStore store = secondNode.observe(scenario.journal);
      Agent onSecondNode = scenario.agent(store);
      scenario.clock.advance(Duration.ofMinutes(3));
      scenario
          .approvals(store, onSecondNode)
          .decide(CrmScenario.approvalId(runId), Decision.APPROVE, null, "", "alice");
      assertThat(onSecondNode.resume(runId, "node-2").outcome())
          .isEqualTo(new RunOutcome.Completed("done"));

      List<SpanData> spans = secondExporter.getFinishedSpanItems();
      assertThat(spans)
          .extracting(SpanData::getName)
          .containsExactlyInAnyOrder(
              "await_approval set_bio",
              "execute_tool set_bio",
              "chat gpt-4o-mini",
              "invoke_agent crm");
      assertThat(spans).extracting(SpanData::getTraceId).containsOnly(TraceIds.traceId(runId));
      SpanData wait = one(spans, "await_approval set_bio");
      assertThat(wait.getParentSpanId()).isEqualTo(TraceIds.rootSpanId(runId));
      assertThat(wait.getEndEpochNanos() - wait.getStartEpochNanos())
          .as("the wait began on the first node and is measured from the journal")
          .isEqualTo(TimeUnit.MINUTES.toNanos(3));
      SpanData segment = one(spans, "invoke_agent crm");
      assertThat(segment.getParentSpanId()).isEqualTo(TraceIds.rootSpanId(runId));
      assertThat(segment.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")))
          .as("the workflow is known from the journal, not from the first node's memory")
          .isEqualTo("crm");
      assertThat(exporter.getFinishedSpanItems())
          .extracting(SpanData::getSpanId)
          .contains(TraceIds.rootSpanId(runId));
    }
  }

  @Test
  void aSegmentCutShortByACrashIsClosedAsInterruptedWhenTheRunIsPickedUpAgain() {
    ObservedRunStore store = observability.observe(scenario.journal);
    Instant t0 = scenario.clock.instant();
    store.append(
        runId,
        0,
        new RunEvent.RunStarted(
            t0, "crm", "3", "agent:crm@3", "bob", "", "task", CrmScenario.MODEL));
    store.append(
        runId,
        1,
        new RunEvent.ModelResponded(
            t0.plusSeconds(2),
            1,
            CrmScenario.MODEL,
            ChatMessage.Assistant.text("thinking"),
            new Usage(10, 5, 0),
            2000));
    // the node dies here; another node picks the run up
    InMemorySpanExporter secondExporter = InMemorySpanExporter.create();
    try (Observability secondNode =
        Observability.builder()
            .spanExporter(secondExporter)
            .contentCapture(ContentCapture.OFF)
            .build()) {
      ObservedRunStore other = secondNode.observe(scenario.journal);
      other.append(runId, 2, new RunEvent.RunResumed(t0.plusSeconds(60), "node-2"));
      other.append(
          runId, 3, new RunEvent.RunCompleted(t0.plusSeconds(61), "ok", 1, new Usage(10, 5, 0)));

      List<SpanData> segments =
          secondExporter.getFinishedSpanItems().stream()
              .filter(s -> s.getName().equals("invoke_agent crm"))
              .toList();
      assertThat(segments).hasSize(2);
      SpanData interrupted = segments.getFirst();
      assertThat(interrupted.getSpanId()).isEqualTo(TraceIds.rootSpanId(runId));
      assertThat(interrupted.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(interrupted.getAttributes().get(AttributeKey.stringKey("bridle.run.outcome")))
          .isEqualTo("interrupted");
      assertThat(interrupted.getEndEpochNanos() - interrupted.getStartEpochNanos())
          .as("it ends with the last event the crashed node recorded")
          .isEqualTo(TimeUnit.SECONDS.toNanos(2));
      assertThat(segments.get(1).getParentSpanId()).isEqualTo(TraceIds.rootSpanId(runId));
    }
  }

  @Test
  void aFailedRunEndsItsSegmentWithAnErrorStatusAndType() {
    ObservedRunStore store = observability.observe(scenario.journal);
    Instant t0 = scenario.clock.instant();
    store.append(
        runId,
        0,
        new RunEvent.RunStarted(
            t0, "crm", "3", "agent:crm@3", "bob", "", "task", CrmScenario.MODEL));
    store.append(
        runId,
        1,
        new RunEvent.RunFailed(
            t0.plusSeconds(1),
            RunEvent.FailureKind.STEP_LIMIT,
            "step limit of 1 reached",
            1,
            Usage.ZERO));

    SpanData segment = one(exporter.getFinishedSpanItems(), "invoke_agent crm");
    assertThat(segment.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(segment.getStatus().getDescription()).isEqualTo("step limit of 1 reached");
    assertThat(segment.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("step_limit");
  }

  private static SpanData one(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named " + name).hasSize(1);
    return named.getFirst();
  }
}
