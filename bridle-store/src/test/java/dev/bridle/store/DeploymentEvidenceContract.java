package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.deploy.HumanCall;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeploymentEvidence} must do: keep a shadow decision once per run, feedback once
 * per run and person (replacing), suite results and mode changes in the order recorded, list them
 * newest first, and for the durable ones share all of it between the nodes of one database. Core's
 * in-memory store is the reference.
 */
abstract class DeploymentEvidenceContract {

  protected RunStore runs;
  protected DeploymentEvidence evidence;

  /** A run store over an empty database. */
  protected abstract RunStore openRuns() throws Exception;

  /** The evidence kept with {@code runs}. */
  protected abstract DeploymentEvidence evidenceOf(RunStore runs);

  /** Another node's evidence store on the database of the last {@link #openRuns}. */
  protected abstract DeploymentEvidence anotherNode() throws Exception;

  @BeforeEach
  void open() throws Exception {
    runs = openRuns();
    evidence = evidenceOf(runs);
  }

  @AfterEach
  void close() {
    runs.close();
  }

  /** A run of {@code workflow}@{@code version} that started. */
  protected RunId started(String id, String workflow, String version) {
    RunId runId = RunId.of(id);
    runs.append(
        runId,
        0,
        new RunEvent.RunStarted(
            at(0),
            workflow,
            version,
            "agent:" + workflow + "@" + version,
            "dana",
            "",
            "task",
            "m"));
    return runId;
  }

  private static ShadowDecision decision(
      RunId run, String workflow, int second, HumanCall... calls) {
    return new ShadowDecision(run, workflow, "3", List.of(calls), "hugo", at(second));
  }

  @Test
  void aShadowDecisionIsKeptOncePerRunAndReadBackAsItWas() {
    RunId run = started("r1", "crm", "3");
    ShadowDecision decision =
        decision(
            run,
            "crm",
            5,
            new HumanCall("set_bio", "{\"lead\":\"L1\",\"n\":2.50}"),
            new HumanCall("note", "{\"text\":\"called Ünal 📞\"}"));

    assertThat(evidence.recordShadowDecision(decision)).isTrue();
    assertThat(evidence.recordShadowDecision(decision(run, "crm", 9))).isFalse();

    ShadowDecision read = evidence.shadowDecision(run).orElseThrow();
    assertThat(read).isEqualTo(decision);
    assertThat(read.calls().getFirst().arguments()).isEqualTo("{\"lead\":\"L1\",\"n\":2.5}");
    assertThat(evidence.shadowDecision(RunId.of("r2"))).isEmpty();
  }

  @Test
  void aDecisionThatTheHumanDidNothingIsKeptAsNoCalls() {
    RunId run = started("r1", "crm", "3");

    evidence.recordShadowDecision(decision(run, "crm", 1));

    assertThat(evidence.shadowDecision(run).orElseThrow().didNothing()).isTrue();
  }

  @Test
  void decisionsAreListedPerWorkflowNewestFirstTiesByRunId() {
    evidence.recordShadowDecision(decision(started("a", "crm", "3"), "crm", 1));
    evidence.recordShadowDecision(decision(started("c", "crm", "3"), "crm", 2));
    evidence.recordShadowDecision(decision(started("b", "crm", "3"), "crm", 2));
    evidence.recordShadowDecision(decision(started("z", "other", "3"), "other", 3));

    assertThat(evidence.shadowDecisions("crm", 10))
        .extracting(d -> d.runId().value())
        .containsExactly("c", "b", "a");
    assertThat(evidence.shadowDecisions("crm", 2)).hasSize(2);
    assertThat(evidence.shadowDecisions("none", 10)).isEmpty();
  }

  @Test
  void feedbackIsOnePerRunAndPersonAndGivingItAgainReplacesIt() {
    RunId r1 = started("r1", "crm", "3");
    RunId r2 = started("r2", "crm", "4");

    assertThat(evidence.recordFeedback(new Feedback(r1, "crm", "3", 2, "slow", "bob", at(1))))
        .isFalse();
    assertThat(evidence.recordFeedback(new Feedback(r1, "crm", "3", 4, "", "bob", at(2)))).isTrue();
    evidence.recordFeedback(new Feedback(r1, "crm", "3", 5, "great", "carol", at(2)));
    evidence.recordFeedback(new Feedback(r2, "crm", "4", 1, "wrong lead", "bob", at(3)));

    assertThat(evidence.feedback("crm", 10))
        .extracting(f -> f.runId().value() + ":" + f.by() + ":" + f.rating() + ":" + f.comment())
        .containsExactly("r2:bob:1:wrong lead", "r1:carol:5:great", "r1:bob:4:");
    assertThat(evidence.feedbackOn(r1)).extracting(Feedback::by).containsExactly("carol", "bob");
    assertThat(evidence.feedback("crm", 1)).hasSize(1);
  }

  @Test
  void suiteResultsAreKeptInTheOrderRecordedNewestFirst() {
    evidence.recordEvaluation(new EvaluationRecord("crm", "3", "regression", 20, 19, at(5), "ci"));
    evidence.recordEvaluation(new EvaluationRecord("crm", "3", "adversarial", 10, 7, at(5), "ci"));
    evidence.recordEvaluation(new EvaluationRecord("other", "1", "regression", 5, 5, at(6), "ci"));
    evidence.recordEvaluation(new EvaluationRecord("crm", "4", "regression", 20, 20, at(4), "bob"));

    List<EvaluationRecord> crm = evidence.evaluations("crm", 10);
    assertThat(crm)
        .extracting(e -> e.version() + "/" + e.suite())
        .containsExactly("4/regression", "3/adversarial", "3/regression");
    assertThat(crm.getLast())
        .isEqualTo(new EvaluationRecord("crm", "3", "regression", 20, 19, at(5), "ci"));
    assertThat(crm.getLast().passRate()).isEqualTo(0.95);
  }

  private static ModeChange.Request request(String workflow, Mode to, Mode declared, int second) {
    return new ModeChange.Request(
        workflow,
        to,
        Optional.ofNullable(declared),
        "ops:lee",
        "ticket OPS-" + second,
        to == Mode.AUTONOMOUS,
        "version 3 supports PROPOSE",
        at(second));
  }

  @Test
  void aModeChangeRecordsWhoWhenWhyFromAndTo() {
    ModeChange first =
        evidence.changeMode(request("crm", Mode.PROPOSE, Mode.SHADOW, 1)).orElseThrow();
    ModeChange second = evidence.changeMode(request("crm", Mode.AUTONOMOUS, null, 2)).orElseThrow();

    assertThat(first)
        .isEqualTo(
            new ModeChange(
                1,
                "crm",
                Optional.of(Mode.SHADOW),
                Mode.PROPOSE,
                "ops:lee",
                "ticket OPS-1",
                false,
                "version 3 supports PROPOSE",
                at(1)));
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.from()).contains(Mode.PROPOSE);
    assertThat(second.forced()).isTrue();
    assertThat(evidence.currentMode("crm")).contains(second);
    assertThat(evidence.modeChanges(Optional.of("crm"), 10)).containsExactly(second, first);
  }

  @Test
  void changingToTheModeItIsInRecordsNothing() {
    assertThat(evidence.changeMode(request("crm", Mode.SHADOW, Mode.SHADOW, 1))).isEmpty();
    evidence.changeMode(request("crm", Mode.PROPOSE, Mode.SHADOW, 2));
    assertThat(evidence.changeMode(request("crm", Mode.PROPOSE, Mode.SHADOW, 3))).isEmpty();

    assertThat(evidence.modeChanges(Optional.empty(), 10)).hasSize(1);
  }

  @Test
  void aFirstChangeWithoutTheDeclaredModeHasNoFrom() {
    ModeChange change = evidence.changeMode(request("crm", Mode.SHADOW, null, 1)).orElseThrow();

    assertThat(change.from()).isEmpty();
    assertThat(evidence.currentMode("crm").orElseThrow().from()).isEmpty();
    assertThat(change.describe()).isEqualTo("? → SHADOW");
  }

  @Test
  void changesAreNumberedAcrossWorkflowsAndTheOverrideIsPerWorkflow() {
    evidence.changeMode(request("crm", Mode.PROPOSE, Mode.SHADOW, 1));
    evidence.changeMode(request("refunds", Mode.SHADOW, Mode.SUPERVISED, 2));
    evidence.changeMode(request("crm", Mode.SUPERVISED, null, 3));

    assertThat(evidence.modeChanges(Optional.empty(), 10))
        .extracting(c -> c.seq() + ":" + c.workflow() + ":" + c.to())
        .containsExactly("3:crm:SUPERVISED", "2:refunds:SHADOW", "1:crm:PROPOSE");
    assertThat(evidence.modeChanges(Optional.empty(), 2)).hasSize(2);
    assertThat(evidence.currentMode("refunds").orElseThrow().to()).isEqualTo(Mode.SHADOW);
    assertThat(evidence.currentMode("nothing")).isEmpty();

    Policy declared =
        Policy.builder().version("p7").mode(Mode.PROPOSE).rule(Rule.allow("*")).build();
    assertThat(evidence.effectivePolicy("crm", declared).mode()).isEqualTo(Mode.SUPERVISED);
    assertThat(evidence.effectivePolicy("crm", declared).version()).isEqualTo("p7/mode=supervised");
    assertThat(evidence.effectivePolicy("nothing", declared)).isSameAs(declared);
  }

  @Test
  void anotherNodeSeesEverything() throws Exception {
    RunId run = started("r1", "crm", "3");
    evidence.recordShadowDecision(decision(run, "crm", 1));
    evidence.recordFeedback(new Feedback(run, "crm", "3", 3, "", "bob", at(1)));
    evidence.recordEvaluation(new EvaluationRecord("crm", "3", "regression", 1, 1, at(1), "ci"));
    evidence.changeMode(request("crm", Mode.PROPOSE, Mode.SHADOW, 1));

    DeploymentEvidence other = anotherNode();

    assertThat(other.shadowDecision(run)).isPresent();
    assertThat(other.feedbackOn(run)).hasSize(1);
    assertThat(other.evaluations("crm", 10)).hasSize(1);
    assertThat(other.currentMode("crm").orElseThrow().to()).isEqualTo(Mode.PROPOSE);
  }

  @Test
  void concurrentModeChangesAreNumberedWithoutGapsAndEachFromIsThePreviousTo() throws Exception {
    int threads = 4;
    int each = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        DeploymentEvidence node = t % 2 == 0 ? evidence : anotherNode();
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < each; i++) {
                    // alternate, so that almost every request changes something
                    Mode to = Mode.values()[(thread + i) % Mode.values().length];
                    node.changeMode(request("crm", to, Mode.SHADOW, i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<ModeChange> log = evidence.modeChanges(Optional.of("crm"), 100).reversed();
    assertThat(log).isNotEmpty();
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).seq()).isEqualTo(i + 1);
      Optional<Mode> before = i == 0 ? Optional.of(Mode.SHADOW) : Optional.of(log.get(i - 1).to());
      assertThat(log.get(i).from()).as("change %d", i + 1).isEqualTo(before);
      assertThat(log.get(i).from()).isNotEqualTo(Optional.of(log.get(i).to()));
    }
  }

  @Test
  void limitsAndNamesOutOfRangeAreRefused() {
    assertThatThrownBy(() -> evidence.feedback("crm", 0))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.INVALID))
        .hasMessage("limit must be between 1 and 10000, but was 0");
    assertThatThrownBy(() -> evidence.modeChanges(Optional.empty(), 10_001))
        .hasMessage("limit must be between 1 and 10000, but was 10001");
    assertThatThrownBy(() -> evidence.currentMode(" "))
        .hasMessage("a workflow name is required, but was blank");
    assertThatThrownBy(() -> evidence.evaluations("w".repeat(201), 1))
        .hasMessage("a workflow name must be at most 200 characters, but was 201");
  }
}
