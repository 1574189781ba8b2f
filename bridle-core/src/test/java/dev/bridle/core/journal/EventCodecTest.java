package dev.bridle.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.BridleException;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
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
            AT, "triage", "1", "agent:triage@1", "dana", "Be brief", "task", "m"),
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
        new RunEvent.RunFailed(AT, RunEvent.FailureKind.LOOP, "loop", 3, Usage.ZERO));
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesARoundTrip(RunEvent event) {
    String json = EventCodec.encode(event);

    assertThat(json).startsWith("{\"type\":\"" + event.getClass().getSimpleName() + "\",\"v\":1,");
    assertThat(EventCodec.decode(json)).isEqualTo(event);
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
