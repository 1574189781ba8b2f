package dev.bridle.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.BridleException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Change;
import dev.bridle.core.tool.Effect;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123Z");

  static List<RunEvent> events() {
    return List.of(
        new RunEvent.RunStarted(
            AT,
            "triage",
            "1",
            "agent:triage@1",
            "dana",
            "Be brief",
            "task",
            "m",
            "sha256:" + "ab".repeat(32)),
        new RunEvent.ModelResponded(
            AT,
            1,
            "openai:gpt",
            new ChatMessage.Assistant("thinking", List.of(new ToolCall("c1", "t", "{\"a\":1}"))),
            new Usage(10, 2, 1),
            120),
        new RunEvent.ToolCallProposed(AT, 1, "c1", "t", "{\"a\":1}"),
        new RunEvent.ToolCallRejected(AT, "c1", "t", RunEvent.Rejection.UNKNOWN_TOOL, "no"),
        new RunEvent.ToolCallStarted(AT, "c1", "t", Effect.WRITE, false, "r/c1", "{\"a\":1}"),
        new RunEvent.ToolCallCompleted(AT, "c1", "t", RunEvent.CallStatus.SUCCEEDED, "ok", 5),
        new RunEvent.ToolCallInDoubt(AT, "c2", "send", "r/c2", "did it happen?"),
        new RunEvent.RunSubmitted(AT, "triage", "dana", "a task"),
        new RunEvent.RunResumed(AT, "node-1"),
        new RunEvent.RunSuspended(AT, "waiting"),
        new RunEvent.RunCompleted(AT, "answer", 2, new Usage(1, 2, 3)),
        new RunEvent.RunFailed(AT, RunEvent.FailureKind.LOOP, "loop", 3, Usage.ZERO),
        new RunEvent.ToolCallCompleted(
            AT, "c3", "set_priority", RunEvent.CallStatus.SUCCEEDED, "done", 8, PRIORITY_CHANGE),
        new RunEvent.PolicyDecided(
            AT, "c3", "set_priority", Verdict.ASK, "rule:priority-high", "high needs a human", "7"),
        new RunEvent.ToolCallShadowed(
            AT,
            "c5",
            "refund",
            Effect.DESTRUCTIVE,
            "{\"amount\":40}",
            "shadow mode: refund was not executed"),
        new RunEvent.ApprovalRequested(
            AT,
            "r1/c3",
            "c3",
            "set_priority",
            Effect.WRITE,
            "{\"priority\":\"high\"}",
            "sha256:9f2c",
            "7",
            "rule:priority-high: high needs a human",
            "dana",
            "priority: normal -> high",
            AT.plusSeconds(3600),
            RunEvent.Decision.REJECT,
            false),
        new RunEvent.ApprovalDecided(
            AT,
            "r1/c3",
            "c3",
            RunEvent.Decision.EDIT,
            "{\"priority\":\"medium\"}",
            "sha256:41aa",
            "7",
            "lee",
            "medium is enough"),
        new RunEvent.RunKilled(
            AT, "the kill switch of workflow triage is on", 2, new Usage(5, 1, 0)),
        new RunEvent.RunCancelled(AT, "ops:lee", "stuck for a day", 2, new Usage(5, 1, 0)),
        new RunEvent.GuardTripped(
            AT,
            "pii",
            dev.bridle.core.guard.GuardStage.TOOL_RESULT,
            dev.bridle.core.guard.GuardTrip.Kind.REDACT,
            "redacted 1 EMAIL",
            "lookup",
            "c7"),
        new RunEvent.GuardTripped(
            AT,
            "json-schema",
            dev.bridle.core.guard.GuardStage.MODEL_OUTPUT,
            dev.bridle.core.guard.GuardTrip.Kind.REASK,
            "$.category: required",
            null,
            null),
        new RunEvent.BudgetThresholdCrossed(AT, false, "80% of the run's 10000 tokens"),
        new RunEvent.ModelResponded(
            AT,
            3,
            "openai:gpt-4o-mini",
            ChatMessage.Assistant.text("priced"),
            new Usage(10, 2, 0),
            40,
            new java.math.BigDecimal("0.000012")),
        new RunEvent.ChangeReverted(
            AT,
            "c3",
            "set_priority",
            "set_priority",
            "{\"ticketId\":\"T-1\",\"priority\":\"normal\"}",
            RunEvent.CallStatus.SUCCEEDED,
            "priority is normal",
            "ops:lee"),
        new RunEvent.EvaluationScored(
            AT,
            "10%",
            false,
            List.of(
                new RunEvent.EvaluationCheck("outcome", true, "completed; allowed: completed"),
                new RunEvent.EvaluationCheck(
                    "output", false, "the answer does not contain 'bio'"))));
  }

  private static final Change PRIORITY_CHANGE =
      new Change(
          "helpdesk:ticket/T-1",
          json("{\"priority\":\"normal\"}"),
          json("{\"priority\":\"high\"}"),
          new Change.InverseCall(
              "set_priority", json("{\"ticketId\":\"T-1\",\"priority\":\"normal\"}")));

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesARoundTrip(RunEvent event) {
    String json = EventCodec.encode(event);

    assertThat(json)
        .startsWith(
            "{\"type\":\""
                + event.getClass().getSimpleName()
                + "\",\"v\":"
                + EventCodec.version(event.getClass())
                + ",");
    assertThat(EventCodec.decode(json)).isEqualTo(event);
  }

  @Test
  void theEventsCoverEveryEventType() {
    assertThat(events().stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(RunEvent.class.getPermittedSubclasses());
  }

  @Test
  void aChangeIsWrittenWithTheCompletedCallAndComesBackWithItsInverse() {
    String json = EventCodec.encode(events().get(12));

    assertThat(json)
        .contains("\"change\":{\"resource\":\"helpdesk:ticket/T-1\"")
        .contains("\"inverse\":{\"toolName\":\"set_priority\"");
    RunEvent.ToolCallCompleted decoded = (RunEvent.ToolCallCompleted) EventCodec.decode(json);
    assertThat(decoded.change()).isEqualTo(PRIORITY_CHANGE);
    assertThat(decoded.change().inverse().arguments().get("priority").asText()).isEqualTo("normal");
  }

  /**
   * An unknown {@code before} (null) stays unknown. Jackson reads a JSON {@code null} into a {@code
   * JsonNode} field as a {@code NullNode}, so the record that comes back may hold that instead of
   * Java null; both mean "unknown".
   */
  @Test
  void aChangeWithAnUnknownBeforeAndNoInverseKeepsThemUnknown() {
    Change change = new Change("mail:outbox/m-7", null, json("{\"status\":\"sent\"}"), null);
    RunEvent.ToolCallCompleted sent =
        new RunEvent.ToolCallCompleted(
            AT, "c4", "send_reply", RunEvent.CallStatus.SUCCEEDED, "sent", 9, change);

    RunEvent.ToolCallCompleted decoded =
        (RunEvent.ToolCallCompleted) EventCodec.decode(EventCodec.encode(sent));

    assertThat(decoded.change().resource()).isEqualTo("mail:outbox/m-7");
    assertThat(decoded.change().after()).isEqualTo(change.after());
    assertThat(decoded.change().inverse()).isNull();
    assertThat(decoded.change().before() == null || decoded.change().before().isNull())
        .as("before is still unknown, but was %s", decoded.change().before())
        .isTrue();
    assertThat(decoded).usingRecursiveComparison().ignoringFields("change").isEqualTo(sent);
  }

  @Test
  void aCompletedCallWithoutAChangeSaysSo() {
    RunEvent.ToolCallCompleted none =
        (RunEvent.ToolCallCompleted) EventCodec.decode(EventCodec.encode(events().get(5)));

    assertThat(none.change()).isNull();
  }

  @Test
  void aToolCallCompletedWrittenBeforeChangesExistedStillReads() {
    String old =
        "{\"type\":\"ToolCallCompleted\",\"v\":1,\"at\":\"2026-11-22T10:15:30.123Z\","
            + "\"callId\":\"c1\",\"toolName\":\"t\",\"status\":\"SUCCEEDED\","
            + "\"observation\":\"ok\",\"durationMillis\":5}";

    assertThat(EventCodec.decode(old))
        .isEqualTo(
            new RunEvent.ToolCallCompleted(AT, "c1", "t", RunEvent.CallStatus.SUCCEEDED, "ok", 5));
  }

  @Test
  void aRejectionWrittenBeforePreconditionsExistedStillReadsAndTheNewReasonsRoundTrip() {
    String old =
        "{\"type\":\"ToolCallRejected\",\"v\":1,\"at\":\"2026-11-22T10:15:30.123Z\","
            + "\"callId\":\"c1\",\"toolName\":\"t\",\"reason\":\"POLICY_DENIED\","
            + "\"observation\":\"no\"}";
    assertThat(EventCodec.decode(old))
        .isEqualTo(
            new RunEvent.ToolCallRejected(AT, "c1", "t", RunEvent.Rejection.POLICY_DENIED, "no"));

    for (RunEvent.Rejection reason :
        List.of(RunEvent.Rejection.PRECONDITION_FAILED, RunEvent.Rejection.PRECONDITION_ERROR)) {
      RunEvent.ToolCallRejected rejected =
          new RunEvent.ToolCallRejected(AT, "c1", "t", reason, "order is not pending");
      String json = EventCodec.encode(rejected);
      assertThat(json).startsWith("{\"type\":\"ToolCallRejected\",\"v\":1,");
      assertThat(EventCodec.decode(json)).isEqualTo(rejected);
    }
  }

  @Test
  void aRunStartedWrittenBeforeDefinitionHashesStillReadsWithoutOne() {
    String old =
        "{\"type\":\"RunStarted\",\"v\":1,\"at\":\"2026-11-22T10:15:30.123Z\","
            + "\"workflow\":\"triage\",\"workflowVersion\":\"1\",\"agent\":\"agent:triage@1\","
            + "\"user\":\"dana\",\"instructions\":\"Be brief\",\"task\":\"task\",\"modelId\":\"m\"}";

    RunEvent.RunStarted decoded = (RunEvent.RunStarted) EventCodec.decode(old);

    assertThat(decoded.definitionHash()).isNull();
    assertThat(decoded)
        .isEqualTo(
            new RunEvent.RunStarted(
                AT, "triage", "1", "agent:triage@1", "dana", "Be brief", "task", "m"));
  }

  @Test
  void aRunStartedIsWrittenAsVersionTwoWithItsHash() {
    String json = EventCodec.encode(events().get(0));

    assertThat(json)
        .startsWith("{\"type\":\"RunStarted\",\"v\":2,")
        .contains("\"definitionHash\":\"sha256:abab");
  }

  @Test
  void everyEventTypeHasAVersion() {
    for (Class<?> type : RunEvent.class.getPermittedSubclasses()) {
      assertThat(EventCodec.version(type.asSubclass(RunEvent.class))).isPositive();
    }
  }

  @Test
  void aNewerVersionIsRefusedWithAClearMessage() {
    String json = EventCodec.encode(events().get(10)).replace("\"v\":1", "\"v\":9");

    assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOf(BridleException.class)
        .hasMessage(
            "journal event RunCompleted has version 9, newer than this Bridle understands (1);"
                + " upgrade Bridle");
  }

  @Test
  void unknownTypesAndGarbageAreRefused() {
    assertThatThrownBy(() -> EventCodec.decode("{\"type\":\"Nope\"}"))
        .hasMessage("unknown journal event type 'Nope'");
    assertThatThrownBy(() -> EventCodec.decode("[1]")).hasMessageContaining("not an object");
    assertThatThrownBy(() -> EventCodec.decode("{oops")).hasMessageContaining("unreadable");
  }

  @Test
  void conditionalAppendRejectsASecondWriter() {
    InMemoryRunStore journal = new InMemoryRunStore();
    RunId run = RunId.of("r1");
    assertThat(journal.append(run, 0, events().get(0))).isEqualTo(1);

    assertThatThrownBy(() -> journal.append(run, 0, events().get(1)))
        .isInstanceOf(JournalConflictException.class)
        .hasMessageContaining("expected its last event to be #0 but it is #1");
    assertThat(journal.append(run, 1, events().get(1))).isEqualTo(2);
    assertThat(journal.readAfter(run, 1)).extracting(JournalEntry::seq).containsExactly(2L);
  }
}
