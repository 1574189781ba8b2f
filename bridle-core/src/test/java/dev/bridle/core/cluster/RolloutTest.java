package dev.bridle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.Percentage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Versions side by side: the split, its configuration errors, and runs keeping their version. */
class RolloutTest {

  record Note(String text) {}

  private final InMemoryRunStore store = new InMemoryRunStore();
  private final InMemoryRunQueue queue = new InMemoryRunQueue(store);

  /**
   * Version {@code version} of {@code triage}: it writes a note (a WRITE, which the PROPOSE policy
   * sends to a human) and answers with its own version, so a run's answer says who finished it.
   */
  private static Function<RunStore, Agent> triage(String version) {
    return journal ->
        Agent.builder()
            .name("triage")
            .version(version)
            .instructions("Version " + version + " of the triage instructions.")
            .model(
                ScriptedChatModel.builder()
                    .thenCall("write_note", Map.of("text", "seen"))
                    .thenAnswer("answered by version " + version)
                    .build())
            .tool(
                Tool.builder("write_note", Note.class)
                    .description("Writes a note")
                    .effect(Effect.WRITE)
                    .handler((args, ctx) -> "noted")
                    .build())
            .policy(Policy.builder().mode(Mode.PROPOSE).rule(Rule.allow("*")).build())
            .journal(journal)
            .build();
  }

  private static Rollout canary(String stable, String canary) {
    return Rollout.builder("triage")
        .version("3", Percentage.parse(stable), "triage-v3.yaml", triage("3"))
        .version("4", Percentage.parse(canary), "triage-v4.yaml", triage("4"))
        .build();
  }

  @Test
  void aRunGetsTheSameVersionEveryTimeItAsks() {
    Rollout rollout = canary("90%", "10%");
    Rollout again = canary("90%", "10%");

    for (int i = 0; i < 500; i++) {
      RunId run = RunId.of("run-" + i);
      assertThat(again.pick(run)).isEqualTo(rollout.pick(run));
    }
  }

  @Test
  void tenThousandRunsSplitAsTheTrafficSays() {
    Rollout rollout = canary("90%", "10%");
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 10_000; i++) {
      counts.merge(rollout.pick(RunId.of("run-" + i)).orElseThrow(), 1, Integer::sum);
    }

    // 10% of 10,000 has a standard deviation of 30 runs; 1% is more than three of them
    assertThat(counts.get("4") / 10_000.0).isCloseTo(0.10, within(0.01));
    assertThat(counts.get("3") + counts.get("4")).isEqualTo(10_000);
  }

  @Test
  void aVersionAtZeroGetsNoNewRunsAndOneAtAHundredGetsThemAll() {
    Rollout drained = canary("100%", "0%");

    for (int i = 0; i < 2_000; i++) {
      assertThat(drained.pick(RunId.of("run-" + i))).contains("3");
    }
  }

  @Test
  void theCanaryAndTheEvaluationSampleAreDifferentRuns() {
    // both 10%: a run in one must not tell whether it is in the other
    Rollout rollout = canary("90%", "10%");
    Percentage sample = Percentage.parse("10%");
    int both = 0;
    for (int i = 0; i < 10_000; i++) {
      RunId run = RunId.of("run-" + i);
      if (rollout.pick(run).orElseThrow().equals("4")
          && sample.includes("evaluation:triage", run)) {
        both++;
      }
    }

    // independent: about 1% of the runs are in both, not 10%
    assertThat(both / 10_000.0).isCloseTo(0.01, within(0.005));
  }

  @Test
  void trafficThatDoesNotAddUpToAHundredNamesTheFiles() {
    assertThatThrownBy(() -> canary("90%", "5%"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "workflow 'triage': the traffic of its versions must add up to 100%, but adds up to"
                + " 95% (triage-v3.yaml: version 3 90%, triage-v4.yaml: version 4 5%)");
    assertThatThrownBy(() -> canary("90%", "12.5%"))
        .hasMessageContaining("but adds up to 102.5% (");
  }

  @Test
  void aVersionDefinedTwiceNamesBothFiles() {
    assertThatThrownBy(
            () ->
                Rollout.builder("triage")
                    .version("3", Percentage.parse("50%"), "a.yaml", triage("3"))
                    .version("3", Percentage.parse("50%"), "b.yaml", triage("3"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "workflow 'triage': version 3 is defined more than once (a.yaml, b.yaml); versions"
                + " served side by side need different version labels");
  }

  @Test
  void aFactoryThatBuildsAnotherVersionIsRefused() {
    Rollout mislabelled =
        Rollout.builder("triage").version("5", Percentage.ALL, "v5.yaml", triage("4")).build();

    assertThatThrownBy(() -> mislabelled.primary(store))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "workflow 'triage' version 5 (v5.yaml) built the agent agent:triage@4; it must build"
                + " agent:triage@5");
  }

  @Test
  void percentagesReadAsOperatorsWriteThem() {
    assertThat(Percentage.parse("10%").basisPoints()).isEqualTo(1_000);
    assertThat(Percentage.parse("12.5%").basisPoints()).isEqualTo(1_250);
    assertThat(Percentage.parse("0.25 %").basisPoints()).isEqualTo(25);
    assertThat(Percentage.parse("100%")).isEqualTo(Percentage.ALL);
    assertThat(Percentage.parse("12.50%").toString()).isEqualTo("12.5%");
    assertThat(Percentage.parse("0%").toString()).isEqualTo("0%");
    assertThatThrownBy(() -> Percentage.parse("10"))
        .hasMessage(
            "must be a percentage such as 10% or 12.5% (at most two decimals), but was '10'");
    assertThatThrownBy(() -> Percentage.parse("101%"))
        .hasMessage("must be at most 100%, but was '101%'");
    assertThatThrownBy(() -> Percentage.parse("-5%")).hasMessageContaining("but was '-5%'");
    assertThatThrownBy(() -> Percentage.parse("1.125%")).hasMessageContaining("at most two");
  }

  // ---- runs keep their version, through a worker ----

  private Worker worker(String node, Rollout rollout) {
    return Worker.builder()
        .nodeId(node)
        .queue(queue)
        .workflow(rollout)
        .concurrency(2)
        .leaseTime(Duration.ofMillis(600))
        .pollInterval(Duration.ofMillis(10))
        .build();
  }

  private List<RunEvent> events(RunId run) {
    return store.read(run).stream().map(JournalEntry::event).toList();
  }

  private RunEvent.RunStarted started(RunId run) {
    return events(run).stream()
        .filter(RunEvent.RunStarted.class::isInstance)
        .map(RunEvent.RunStarted.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private void approveAll(Rollout rollout) {
    Approvals approvals =
        new Approvals(store, w -> Optional.of(rollout.primary(store)), Clock.systemUTC());
    approvals
        .pending()
        .forEach(item -> approvals.decide(item.id(), RunEvent.Decision.APPROVE, null, "", "april"));
  }

  @Test
  void aWorkerStartsEachRunOnItsPickedVersionAndResumesItThereWhateverTheTrafficSaysLater() {
    Rollout canary = canary("50%", "50%");
    List<RunId> runs =
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> RunId.of("run-" + i)).toList();
    runs.forEach(run -> queue.submit(run, "triage", "a ticket", "dana", Clock.systemUTC()));

    try (Worker node = worker("node-a", canary).start()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.list(RunQuery.ALL.withStatus(RunStatus.SUSPENDED)).size() == 20);
    }
    for (RunId run : runs) {
      String picked = canary.pick(run).orElseThrow();
      assertThat(started(run).workflowVersion()).isEqualTo(picked);
      assertThat(started(run).agent()).isEqualTo("agent:triage@" + picked);
      assertThat(started(run).definitionHash())
          .isEqualTo(canary.agent(picked, store).orElseThrow().definitionHash());
    }
    assertThat(runs.stream().map(run -> started(run).workflowVersion()).distinct())
        .containsExactlyInAnyOrder("3", "4");

    // the canary is rolled back: version 4 gets no new runs, but still finishes its own
    Rollout rolledBack = canary("100%", "0%");
    approveAll(rolledBack);
    try (Worker node = worker("node-b", rolledBack).start()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.list(RunQuery.ALL.withStatus(RunStatus.COMPLETED)).size() == 20);
    }
    for (RunId run : runs) {
      String version = started(run).workflowVersion();
      RunEvent.RunCompleted completed = (RunEvent.RunCompleted) events(run).getLast();
      assertThat(completed.answer()).isEqualTo("answered by version " + version);
      assertThat(events(run).stream().filter(RunEvent.RunStarted.class::isInstance)).hasSize(1);
    }
  }

  @Test
  void aRunWhoseVersionIsNotServedWaitsInsteadOfSwitchingVersions() {
    RunId run = RunId.of("run-on-4");
    Rollout onlyFour =
        Rollout.builder("triage").version("4", Percentage.ALL, "v4", triage("4")).build();
    queue.submit(run, "triage", "a ticket", "dana", Clock.systemUTC());
    try (Worker node = worker("node-a", onlyFour).start()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.find(run).orElseThrow().status() == RunStatus.SUSPENDED);
    }
    approveAll(onlyFour);

    Rollout onlyThree =
        Rollout.builder("triage").version("3", Percentage.ALL, "v3", triage("3")).build();
    assertThatThrownBy(() -> onlyThree.agentFor(store.find(run).orElseThrow(), store))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "run run-on-4 started on version 4 of workflow 'triage', which is not served here"
                + " (served: 3); a run keeps the version it started with: serve version 4 next to"
                + " the others with rollout: {traffic: 0%} until its runs have ended");
    try (Worker node = worker("node-b", onlyThree).start()) {
      // the node claims the run, cannot serve its version, and leaves it for a node that can
      await()
          .during(Duration.ofMillis(800))
          .atMost(Duration.ofSeconds(5))
          .until(() -> store.find(run).orElseThrow().status() == RunStatus.QUEUED);
    }
    assertThat(events(run)).noneMatch(RunEvent.RunResumed.class::isInstance);

    Rollout drainFour = canary("100%", "0%");
    try (Worker node = worker("node-c", drainFour).start()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.find(run).orElseThrow().status() == RunStatus.COMPLETED);
    }
    assertThat(((RunEvent.RunCompleted) events(run).getLast()).answer())
        .isEqualTo("answered by version 4");
  }

  @Test
  void anAgentRefusesToResumeARunThatStartedOnAnotherVersion() {
    RunId run = RunId.of("run-pinned");
    Agent three = triage("3").apply(store);
    assertThat(three.run(run, "a ticket", "dana").outcome())
        .isInstanceOf(RunOutcome.Suspended.class);
    approveAll(Rollout.builder("triage").version("3", Percentage.ALL, "v3", triage("3")).build());

    assertThatThrownBy(() -> triage("4").apply(store).resume(run))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "run run-pinned started on version 3 of workflow 'triage', not on version 4: a run"
                + " keeps the version it started with; resume it with version 3's definition"
                + " (docs/rollout.md)");
    assertThat(three.resume(run).outcome()).isInstanceOf(RunOutcome.Completed.class);
  }

  @Test
  void aSingleAgentServesEveryNewRunAndOnlyRunsOfItsOwnVersion() {
    Rollout single = Rollout.of("triage", triage("3"));
    RunId run = RunId.of("run-single");
    queue.submit(run, "triage", "a ticket", "dana", Clock.systemUTC());

    assertThat(single.pick(run)).isEmpty();
    assertThat(single.agentFor(store.find(run).orElseThrow(), store).version()).isEqualTo("3");
    assertThat(single.versions()).isEmpty();
    assertThat(Set.of(single.primary(store).identity())).containsExactly("agent:triage@3");
  }
}
