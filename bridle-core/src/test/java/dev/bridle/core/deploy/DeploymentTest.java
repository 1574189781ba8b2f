package dev.bridle.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The deployment sequence end to end over real runs: an agent in shadow mode, a human's decision,
 * approvals from propose mode, feedback, readiness, the audited mode change and the override the
 * next agent runs under.
 */
class DeploymentTest {

  record SetBio(String lead, String bio) {}

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  private final InMemoryRunStore store = new InMemoryRunStore();
  private final InMemoryDeploymentEvidence evidence = new InMemoryDeploymentEvidence();
  private final Deployment deployment = new Deployment(store, evidence, clock);
  private final Map<String, String> bios = new ConcurrentHashMap<>();

  private final Tool<SetBio> setBio =
      Tool.builder("set_bio", SetBio.class)
          .description("Set a lead's bio")
          .effect(Effect.WRITE)
          .handler(
              (a, ctx) -> {
                bios.put(a.lead(), a.bio());
                return "done";
              })
          .build();

  private static Policy policy(Mode mode) {
    return Policy.builder().version("p1").mode(mode).rule(Rule.allow("*")).build();
  }

  /** An agent of workflow crm, in the mode its file declares unless the evidence overrides it. */
  private Agent agent(String version, Mode declared) {
    return Agent.builder()
        .name("crm")
        .version(version)
        .model(
            ScriptedChatModel.builder()
                .name("t")
                .thenCall("set_bio", Map.of("lead", "{{task}}", "bio", "baker"))
                .thenAnswer("done")
                .build())
        .tool(setBio)
        .policy(evidence.effectivePolicy("crm", policy(declared)))
        .journal(store)
        .clock(clock)
        .build();
  }

  private RunId shadowRun(String lead) {
    RunId id = RunId.of("shadow-" + lead);
    assertThat(agent("1", Mode.SHADOW).run(id, lead, "bob").outcome())
        .isInstanceOf(RunOutcome.Completed.class);
    return id;
  }

  @Test
  void aHumansDecisionOnAShadowRunIsComparedWithWhatTheAgentWouldHaveDone() {
    RunId same = shadowRun("L1");
    RunId other = shadowRun("L2");
    assertThat(bios).isEmpty();

    deployment.recordShadowDecision(
        same,
        ShadowDecision.parseCalls(
            "[{\"tool\":\"set_bio\",\"arguments\":{\"bio\":\"baker\",\"lead\":\"L1\"}}]"),
        "hugo");
    ShadowDecision recorded =
        deployment.recordShadowDecision(other, ShadowDecision.parseCalls("none"), "hugo");

    assertThat(recorded.workflow()).isEqualTo("crm");
    assertThat(recorded.workflowVersion()).isEqualTo("1");
    assertThat(recorded.at()).isEqualTo(now.get());
    Agreement agreement = deployment.agreement("crm", Optional.empty());
    assertThat(agreement.byTool()).containsExactly(Map.entry("set_bio", new Agreement.Tally(1, 2)));
    assertThat(agreement.shadowRunsCompared()).isEqualTo(2);

    assertThatThrownBy(() -> deployment.recordShadowDecision(same, List.of(), "ivy"))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.ALREADY_RECORDED))
        .hasMessage(
            "run shadow-L1 has a decision already, recorded by hugo at "
                + now.get()
                + "; a decision is recorded once");
  }

  @Test
  void aDecisionNeedsARunThatEndedWithoutExecutingAnEffect() {
    assertThatThrownBy(() -> deployment.recordShadowDecision(RunId.of("nope"), List.of(), "hugo"))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.NOT_FOUND))
        .hasMessage("no run nope");

    RunId waiting = RunId.of("waiting");
    agent("1", Mode.PROPOSE).run(waiting, "L3", "bob");
    assertThatThrownBy(() -> deployment.recordShadowDecision(waiting, List.of(), "hugo"))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.WRONG_STATE))
        .hasMessage("run waiting is suspended; record what the human did once it has ended");

    RunId executed = RunId.of("executed");
    agent("1", Mode.SUPERVISED).run(executed, "L4", "bob");
    assertThatThrownBy(() -> deployment.recordShadowDecision(executed, List.of(), "hugo"))
        .hasMessageStartingWith("run executed executed set_bio (WRITE): it was not in shadow mode");
  }

  @Test
  void approvalsFromProposeModeAreEvidenceAndTimeoutsAreNot() {
    Agent agent = agent("1", Mode.PROPOSE);
    Approvals approvals = new Approvals(store, name -> Optional.of(agent), clock);
    for (int i = 0; i < 3; i++) {
      RunId id = RunId.of("p" + i);
      agent.run(id, "L" + i, "bob");
      approvals.decide(id + "/call_1_1", RunEvent.Decision.APPROVE, null, "", "alice");
      agent.resume(id);
      now.updateAndGet(t -> t.plusSeconds(60));
    }
    agent.run(RunId.of("timed-out"), "L9", "bob");
    now.updateAndGet(t -> t.plus(Duration.ofHours(25)));
    assertThat(approvals.expire()).hasSize(1);

    Readiness readiness =
        deployment.readiness(
            "crm", Optional.empty(), Optional.of(Mode.PROPOSE), ReadinessSettings.DEFAULT);

    assertThat(readiness.approvals().current()).isEqualTo(3);
    assertThat(readiness.approvals().decisions()).isEqualTo(3);
    assertThat(readiness.agreement().approvals()).isEqualTo(new Agreement.Tally(3, 3));
    assertThat(bios).containsOnlyKeys("L0", "L1", "L2");
  }

  @Test
  void feedbackIsOnePerRunAndPersonAndSummarisedPerVersion() {
    RunId run = shadowRun("L1");

    Deployment.FeedbackRecorded first = deployment.recordFeedback(run, 2, "too slow", "bob");
    Deployment.FeedbackRecorded again = deployment.recordFeedback(run, 4, null, "bob");
    deployment.recordFeedback(run, 5, "good", "carol");

    assertThat(first.replaced()).isFalse();
    assertThat(again.replaced()).isTrue();
    assertThat(again.feedback().comment()).isEmpty();
    assertThat(evidence.feedbackOn(run)).extracting(Feedback::rating).containsOnly(4, 5);
    assertThat(
            deployment
                .readiness("crm", Optional.of("1"), Optional.empty(), ReadinessSettings.DEFAULT)
                .feedback()
                .mean())
        .hasValue(4.5);
    assertThatThrownBy(() -> deployment.recordFeedback(run, 0, "", "bob"))
        .hasMessage("rating must be between 1 and 5 (1 bad, 5 good), but was 0");
    assertThatThrownBy(() -> deployment.recordFeedback(RunId.of("nope"), 3, "", "bob"))
        .hasMessage("no run nope");
  }

  @Test
  void aModeChangeIsRecordedWithItsEvidenceAndAutonomousWithoutEvidenceNeedsForce() {
    shadowRun("L1");

    ModeChange toPropose =
        deployment
            .changeMode(
                "crm",
                Mode.PROPOSE,
                Optional.of(Mode.SHADOW),
                "ops:lee",
                "pilot with the sales team",
                false,
                ReadinessSettings.DEFAULT)
            .orElseThrow();

    assertThat(toPropose.seq()).isEqualTo(1);
    assertThat(toPropose.from()).contains(Mode.SHADOW);
    assertThat(toPropose.to()).isEqualTo(Mode.PROPOSE);
    assertThat(toPropose.forced()).isFalse();
    assertThat(toPropose.evidence()).startsWith("version 1 supports SHADOW; PROPOSE needs");
    assertThat(toPropose.describe()).isEqualTo("SHADOW → PROPOSE");

    assertThat(
            deployment.changeMode(
                "crm",
                Mode.PROPOSE,
                Optional.empty(),
                "ops:lee",
                "again",
                false,
                ReadinessSettings.DEFAULT))
        .as("in that mode already: nothing recorded")
        .isEmpty();

    assertThatThrownBy(
            () ->
                deployment.changeMode(
                    "crm",
                    Mode.AUTONOMOUS,
                    Optional.empty(),
                    "ops:lee",
                    "ship it",
                    false,
                    ReadinessSettings.DEFAULT))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.NOT_READY))
        .hasMessageContaining(
            "the evidence does not support AUTONOMOUS for crm@1: it supports SHADOW")
        .hasMessageContaining("approval-streak: 0 approvals");

    ModeChange forced =
        deployment
            .changeMode(
                "crm",
                Mode.AUTONOMOUS,
                Optional.empty(),
                "ops:lee",
                "incident 7: humans unavailable",
                true,
                ReadinessSettings.DEFAULT)
            .orElseThrow();
    assertThat(forced.forced()).isTrue();
    assertThat(forced.from()).contains(Mode.PROPOSE);
    assertThat(evidence.modeChanges(Optional.of("crm"), 10))
        .extracting(ModeChange::seq)
        .containsExactly(2L, 1L);
    assertThatThrownBy(
            () ->
                deployment.changeMode(
                    "crm",
                    Mode.SHADOW,
                    Optional.empty(),
                    "ops:lee",
                    " ",
                    false,
                    ReadinessSettings.DEFAULT))
        .hasMessageStartingWith("a mode change needs a reason");
  }

  @Test
  void aModeChangeAssessesTheVersionsItGovernsNotTheNewestRuns() {
    shadowRun("L1"); // the newest run is version 1

    assertThatThrownBy(
            () ->
                deployment.changeMode(
                    "crm",
                    List.of("2", "1"),
                    Mode.AUTONOMOUS,
                    Optional.empty(),
                    "ops:lee",
                    "new file",
                    false,
                    ReadinessSettings.DEFAULT))
        .isInstanceOf(DeploymentException.class)
        .hasMessageContaining("crm@1: it supports SHADOW")
        .hasMessageContaining("crm@2: it supports SHADOW")
        .hasMessageContaining("no suite result for version 2");

    ModeChange forced =
        deployment
            .changeMode(
                "crm",
                List.of("2"),
                Mode.AUTONOMOUS,
                Optional.empty(),
                "ops:lee",
                "new file, forced",
                true,
                ReadinessSettings.DEFAULT)
            .orElseThrow();
    assertThat(forced.forced()).isTrue();
    assertThat(forced.evidence())
        .startsWith("version 2 supports SHADOW")
        .doesNotContain("version 1");
  }

  @Test
  void theNextAgentRunsInTheOverriddenModeUnderADistinctPolicyVersion() {
    deployment.changeMode(
        "crm",
        Mode.SHADOW,
        Optional.of(Mode.PROPOSE),
        "ops:lee",
        "wrong bios reported",
        false,
        ReadinessSettings.DEFAULT);
    RunId id = RunId.of("after-override");

    RunOutcome outcome = agent("1", Mode.PROPOSE).run(id, "L5", "bob").outcome();

    assertThat(outcome).isInstanceOf(RunOutcome.Completed.class);
    assertThat(bios).isEmpty();
    List<RunEvent> events = store.read(id).stream().map(JournalEntry::event).toList();
    assertThat(events).hasAtLeastOneElementOfType(RunEvent.ToolCallShadowed.class);
    RunEvent.PolicyDecided decided =
        events.stream()
            .filter(RunEvent.PolicyDecided.class::isInstance)
            .map(RunEvent.PolicyDecided.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(decided.policyVersion()).isEqualTo("p1/mode=shadow");
    assertThat(policy(Mode.SHADOW).withMode(Mode.SHADOW)).isEqualTo(policy(Mode.SHADOW));
  }

  @Test
  void versionsAreComparedSideBySide() {
    shadowRun("L1");
    RunId v2 = RunId.of("v2-run");
    agent("2", Mode.SUPERVISED).run(v2, "L2", "bob");
    deployment.recordFeedback(v2, 3, "", "bob");
    evidence.recordEvaluation(
        new EvaluationRecord("crm", "2", "regression", 10, 9, now.get(), "ci"));

    List<VersionSummary> compared = deployment.compare("crm", List.of("1", "2", "3"));

    assertThat(compared).extracting(VersionSummary::version).containsExactly("1", "2", "3");
    assertThat(compared.get(0).runs()).isEqualTo(1);
    assertThat(compared.get(0).count(RunStatus.COMPLETED)).isEqualTo(1);
    assertThat(compared.get(0).lowestSuitePassRate()).isEmpty();
    assertThat(compared.get(1).lowestSuitePassRate()).contains(0.9);
    assertThat(compared.get(1).feedback().mean()).hasValue(3.0);
    assertThat(compared.get(2).runs()).isZero();
    assertThat(compared.get(2).costPerRun()).isEmpty();
    assertThat(deployment.workflows()).containsExactly("crm");
  }
}
