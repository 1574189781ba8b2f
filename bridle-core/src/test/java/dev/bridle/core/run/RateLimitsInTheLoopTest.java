package dev.bridle.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rate limits on tool calls, through the real loop. */
class RateLimitsInTheLoopTest {

  record Note(int n) {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final AtomicInteger notes = new AtomicInteger();

  private Agent agent(RateLimits limits, Clock agentClock) {
    ScriptedChatModel.Builder script = ScriptedChatModel.builder();
    for (int i = 1; i <= 4; i++) {
      script.thenCall("note", Map.of("n", i));
    }
    return Agent.builder()
        .name("notes")
        .model(script.thenAnswer("done").build())
        .tool(
            Tool.builder("note", Note.class)
                .description("Write a note")
                .effect(Effect.PROPOSE)
                .handler((a, ctx) -> "noted " + notes.incrementAndGet())
                .build())
        .rateLimits(limits)
        .journal(store)
        .clock(agentClock)
        .build();
  }

  @Test
  void callsOverTheLimitAreRefusedWithARetryHintAndTheRunGoesOn() {
    RateLimits limits =
        new RateLimits(
            List.of(RateLimit.of(RateLimit.Scope.WORKFLOW, "note", 2, Duration.ofMinutes(1))),
            new LocalRateLimiter(clock));
    RunId runId = RunId.of("run-limited");

    RunResult result = agent(limits, clock).run(runId, "write four notes", "bob");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(notes).hasValue(2);
    List<RunEvent.ToolCallRejected> refused =
        store.read(runId).stream()
            .map(JournalEntry::event)
            .filter(RunEvent.ToolCallRejected.class::isInstance)
            .map(RunEvent.ToolCallRejected.class::cast)
            .toList();
    assertThat(refused).hasSize(2);
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.reason()).isEqualTo(RunEvent.Rejection.RATE_LIMITED);
              assertThat(r.observation())
                  .contains("Rate limit reached")
                  .contains("2 calls of note per PT1M")
                  .containsPattern("Try again in \\d+ s");
            });

    // a minute later the bucket is full again
    clock.advance(Duration.ofMinutes(1));
    agent(limits, clock).run(RunId.of("run-later"), "write four notes", "bob");
    assertThat(notes).hasValue(4);
  }

  @Test
  void aLimitThatWaitsLetsTheCallThroughOnceATokenIsBack() {
    Clock real = Clock.systemUTC();
    RateLimits limits =
        new RateLimits(
            List.of(
                RateLimit.of(RateLimit.Scope.USER, "*", 2, Duration.ofMillis(200))
                    .waitingUpTo(Duration.ofSeconds(1))),
            new LocalRateLimiter(real));

    RunResult result = agent(limits, real).run(RunId.of("run-waits"), "write four notes", "bob");

    assertThat(result.outcome()).isEqualTo(new RunOutcome.Completed("done"));
    assertThat(notes).hasValue(4);
  }
}
