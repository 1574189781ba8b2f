package dev.bridle.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.control.InMemoryQualityBreakerStore;
import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreakerSettings;
import dev.bridle.core.evaluation.OutputCheck;
import dev.bridle.core.evaluation.RunClassification.Outcome;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.Percentage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Continuous evaluation in the real loop: a sampled run is scored when it ends, the verdict is
 * journaled after its end, and the quality breaker counts it.
 */
class ContinuousEvaluationTest {

  record Lead(String leadId) {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final InMemoryRunStore journal = new InMemoryRunStore();

  private static ContinuousEvaluation.Builder everyRun() {
    return ContinuousEvaluation.builder().sample(Percentage.ALL);
  }

  /** An agent that looks a lead up and answers {@code answer}. */
  private Agent.Builder agent(String answer) {
    return Agent.builder()
        .name("leads")
        .model(
            ScriptedChatModel.builder()
                .thenCall("get_lead", Map.of("leadId", "L-1"))
                .thenAnswer(answer)
                .build())
        .tool(
            Tool.builder("get_lead", Lead.class)
                .description("Reads a lead")
                .handler((args, ctx) -> "lead " + args.leadId())
                .build())
        .journal(journal)
        .clock(clock);
  }

  private List<RunEvent> events(RunId run) {
    return journal.read(run).stream().map(JournalEntry::event).toList();
  }

  private Optional<RunEvent.EvaluationScored> scored(RunId run) {
    return events(run).stream()
        .filter(RunEvent.EvaluationScored.class::isInstance)
        .map(RunEvent.EvaluationScored.class::cast)
        .findFirst();
  }

  @Test
  void theSampleIsDecidedByTheRunIdAndHoldsItsShare() {
    ContinuousEvaluation tenPercent =
        ContinuousEvaluation.builder().sample(Percentage.parse("10%")).maxSteps(5).build();
    int sampled = 0;
    for (int i = 0; i < 10_000; i++) {
      RunId run = RunId.of("run-" + i);
      boolean in = tenPercent.samples("leads", run);
      assertThat(tenPercent.samples("leads", run)).isEqualTo(in);
      sampled += in ? 1 : 0;
    }

    assertThat(sampled / 10_000.0).isCloseTo(0.10, within(0.01));
  }

  @Test
  void aSampledRunIsScoredAfterItsEndAndTheVerdictIsJournaled() {
    Agent agent =
        agent("The lead L-1 now has a bio.")
            .continuousEvaluation(
                everyRun()
                    .outcomes(Outcome.COMPLETED, Outcome.CLARIFICATION)
                    .output(OutputCheck.builder().contains("bio").notContains("http://").build())
                    .maxSteps(3)
                    .maxCostUsd(new BigDecimal("0.01"))
                    .build())
            .build();

    RunId run = agent.run(RunId.of("run-scored"), "enrich L-1", "dana").runId();

    List<RunEvent> events = events(run);
    assertThat(events.get(events.size() - 2)).isInstanceOf(RunEvent.RunCompleted.class);
    RunEvent.EvaluationScored scored = (RunEvent.EvaluationScored) events.getLast();
    assertThat(scored.passed()).isTrue();
    assertThat(scored.sample()).isEqualTo("100%");
    assertThat(scored.checks())
        .extracting(RunEvent.EvaluationCheck::check)
        .containsExactly("outcome", "output", "max-steps", "max-cost-usd");
    assertThat(scored.checks()).allMatch(RunEvent.EvaluationCheck::passed);
    assertThat(scored.checks().get(0).detail()).isEqualTo("completed: completed");
    assertThat(scored.checks().get(2).detail()).isEqualTo("2 of at most 3 model calls");
    assertThat(scored.checks().get(3).detail()).isEqualTo("$0 of at most $0.01");
    // the run's end is still its end
    assertThat(journal.find(run).orElseThrow().status().name()).isEqualTo("COMPLETED");
    assertThat(RunState.replay(run, journal.read(run)).ended())
        .get()
        .isInstanceOf(RunEvent.RunCompleted.class);
  }

  @Test
  void failedChecksAreJournaledWithWhatWasFound() {
    Agent agent =
        agent("Done, see http://crm.example/L-1")
            .continuousEvaluation(
                everyRun()
                    .outcomes(Outcome.REFUSED)
                    .output(OutputCheck.builder().contains("bio").notContains("http://").build())
                    .maxSteps(1)
                    .build())
            .build();

    RunEvent.EvaluationScored scored =
        scored(agent.run(RunId.of("run-failing"), "enrich L-1", "dana").runId()).orElseThrow();

    assertThat(scored.passed()).isFalse();
    assertThat(scored.checks())
        .extracting(RunEvent.EvaluationCheck::detail)
        .containsExactly(
            "it was completed (completed); allowed: refused",
            "the answer does not contain 'bio'; the answer contains 'http://', which it must not",
            "2 model calls, more than max-steps 1");
  }

  @Test
  void onlyRunsInTheSampleAreScored() {
    ContinuousEvaluation half =
        ContinuousEvaluation.builder().sample(Percentage.parse("50%")).maxSteps(5).build();
    Agent agent = agent("ok").continuousEvaluation(half).build();
    int scoredRuns = 0;

    for (int i = 0; i < 40; i++) {
      RunId run = agent.run(RunId.of("run-" + i), "enrich", "dana").runId();
      assertThat(scored(run).isPresent()).isEqualTo(half.samples("leads", run));
      scoredRuns += scored(run).isPresent() ? 1 : 0;
    }

    assertThat(scoredRuns).isBetween(1, 39);
  }

  @Test
  void failedEvaluationsFeedTheQualityBreakerWhichThenDivertsNewTasksUnscored() {
    QualityBreaker breaker =
        QualityBreaker.builder()
            .store(new InMemoryQualityBreakerStore(clock))
            .clock(clock)
            .settings(
                "leads",
                QualityBreakerSettings.DEFAULT
                    .withMinimumSamples(4)
                    .withWindowSize(10)
                    .withFailureRate(0.5))
            .build();
    // every run completes (the run's own sample passes), but its answer fails the online check
    Agent agent =
        agent("Updated.")
            .qualityBreaker(breaker)
            .continuousEvaluation(
                everyRun().output(OutputCheck.builder().contains("bio").build()).build())
            .build();

    agent.run(RunId.of("run-a"), "enrich L-1", "dana");
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.status("leads").window().samples()).isEqualTo(2);
    assertThat(breaker.status("leads").isOpen()).as("2 samples, under the minimum").isFalse();
    agent.run(RunId.of("run-b"), "enrich L-2", "dana");

    QualityBreaker.Status open = breaker.status("leads");
    assertThat(open.isOpen()).isTrue();
    assertThat(open.reason()).isEqualTo("failure rate 50% (2 of the last 4 samples) reached 50%");

    clock.advance(Duration.ofSeconds(1));
    RunResult diverted = agent.run(RunId.of("run-c"), "enrich L-3", "dana");
    assertThat(diverted.outcome()).isInstanceOf(RunOutcome.Escalated.class);
    assertThat(scored(diverted.runId())).as("a diverted run is not scored").isEmpty();
    assertThat(breaker.status("leads").window().samples()).isEqualTo(4);
  }

  @Test
  void aRunWaitingForAHumanIsScoredOnceWhenItEnds() {
    Agent agent =
        agent("Wrote it.")
            .tool(
                Tool.builder("write_note", Lead.class)
                    .description("Writes a note on a lead")
                    .effect(Effect.WRITE)
                    .handler((args, ctx) -> "noted")
                    .build())
            .model(
                ScriptedChatModel.builder()
                    .thenCall("write_note", Map.of("leadId", "L-1"))
                    .thenAnswer("Wrote it.")
                    .build())
            .policy(Policy.builder().mode(Mode.PROPOSE).rule(Rule.allow("*")).build())
            .continuousEvaluation(everyRun().outcomes(Outcome.COMPLETED).build())
            .build();
    RunId run = RunId.of("run-waits");

    assertThat(agent.run(run, "note L-1", "dana").outcome())
        .isInstanceOf(RunOutcome.Suspended.class);
    assertThat(scored(run)).as("not ended yet").isEmpty();
    Approvals approvals = new Approvals(journal, w -> Optional.of(agent), clock);
    approvals.decide(
        approvals.pendingFor(run).getFirst().id(), RunEvent.Decision.APPROVE, null, "", "april");
    assertThat(agent.resume(run).outcome()).isInstanceOf(RunOutcome.Completed.class);
    assertThat(agent.resume(run).outcome()).isInstanceOf(RunOutcome.Completed.class);

    assertThat(events(run)).filteredOn(RunEvent.EvaluationScored.class::isInstance).hasSize(1);
    assertThat(scored(run).orElseThrow().passed()).isTrue();
  }

  @Test
  void aCheckThatChecksNothingIsRefused() {
    assertThatThrownBy(() -> everyRun().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "continuous evaluation checks nothing; give at least one of outcome, output,"
                + " max-steps or max-cost-usd");
    assertThatThrownBy(() -> ContinuousEvaluation.builder().maxSteps(3).build())
        .hasMessageContaining("needs a sample");
  }
}
