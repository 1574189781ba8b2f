package dev.bridle.core.deploy;

import static dev.bridle.core.deploy.Facts.decision;
import static dev.bridle.core.deploy.Facts.human;
import static dev.bridle.core.deploy.Facts.run;
import static dev.bridle.core.deploy.Facts.suite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.deploy.Readiness.Recommendation;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.policy.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The readiness rule table of docs/deployment.md: each step's checks and the recommendation. */
class ReadinessTest {

  /** Small thresholds so that the tests say exactly where each boundary is. */
  private static final ReadinessSettings SMALL =
      ReadinessSettings.DEFAULT.withMinimumComparisons(10).withStreaks(5, 8);

  private final List<RunFacts> runs = new ArrayList<>();
  private final List<ShadowDecision> decisions = new ArrayList<>();
  private final List<EvaluationRecord> evaluations = new ArrayList<>();
  private final List<Feedback> feedback = new ArrayList<>();

  private WorkflowEvidence evidence() {
    return new WorkflowEvidence(
        "crm",
        runs.reversed(),
        false,
        decisions,
        feedback,
        evaluations.reversed(),
        Optional.empty());
  }

  private Readiness assess(String version, Mode current) {
    return Readiness.assess(evidence(), version, Optional.ofNullable(current), SMALL);
  }

  /** {@code agreed} of {@code total} shadow runs where the human did what the agent would have. */
  private void shadowRuns(String version, int total, int agreed) {
    for (int i = 0; i < total; i++) {
      String id = "s" + version + "-" + runs.size();
      runs.add(run(id).version(version).shadowed("set_bio", "{\"n\":" + i + "}").build());
      decisions.add(
          decision(
              id,
              version,
              i < agreed ? human("set_bio", "{\"n\":" + i + "}") : human("set_bio", "{\"n\":-1}")));
    }
  }

  /** Approvals as proposed, one per run, after minute {@code from}. */
  private void approvals(String version, int count, int from) {
    for (int i = 0; i < count; i++) {
      runs.add(
          run("a" + version + "-" + runs.size())
              .version(version)
              .approval("set_bio", Decision.APPROVE, "alice", from + i)
              .build());
    }
  }

  @Test
  void noEvidenceSupportsOnlyShadowAndSaysWhatProposeNeeds() {
    Readiness readiness = assess("", null);

    assertThat(readiness.supported()).isEqualTo(Mode.SHADOW);
    assertThat(readiness.steps()).hasSize(3).noneMatch(Readiness.Step::ready);
    assertThat(readiness.recommendation())
        .isEqualTo(
            new Recommendation.Hold(
                Mode.SHADOW,
                Mode.PROPOSE,
                List.of(
                    "agreement-sample: 0 comparisons, needs at least 10",
                    "agreement-rate: nothing compared yet, needs at least 90.0%")));
    assertThat(readiness.missingFor(Mode.SUPERVISED))
        .contains(
            "suite-pass-rate: no suite result for version (none), needs at least 95.0% in"
                + " every suite")
        .contains("approval-streak: 0 approvals in a row without an edit, needs at least 5");
    assertThat(readiness.missingFor(Mode.AUTONOMOUS))
        .as("each check once, the stricter streak")
        .extracting(m -> m.substring(0, m.indexOf(':')))
        .containsExactly(
            "agreement-sample", "agreement-rate", "suite-pass-rate", "approval-streak");
    assertThat(readiness.missingFor(Mode.AUTONOMOUS).getLast()).endsWith("needs at least 8");
    assertThat(readiness.missingFor(Mode.SHADOW)).isEmpty();
    assertThat(readiness.feedback()).isEqualTo(FeedbackSummary.NONE);
  }

  @Test
  void agreementAtExactlyTheThresholdOverTheMinimumSampleEarnsPropose() {
    shadowRuns("1", 10, 9); // 9 agree; each of the other run's two calls disagrees: 9/11

    assertThat(assess("1", Mode.SHADOW).supported()).isEqualTo(Mode.SHADOW);

    runs.clear();
    decisions.clear();
    shadowRuns("1", 9, 9);
    runs.add(run("x").version("1").approval("set_bio", Decision.EDIT, "alice", 1).build());
    // 9 of 10 comparisons agree: exactly 90%, over exactly 10 comparisons

    Readiness readiness = assess("1", Mode.SHADOW);

    assertThat(readiness.agreement().total()).isEqualTo(new Agreement.Tally(9, 10));
    assertThat(readiness.supported()).isEqualTo(Mode.PROPOSE);
    assertThat(readiness.recommendation())
        .isEqualTo(new Recommendation.Advance(Mode.SHADOW, Mode.PROPOSE));
  }

  @Test
  void aPerfectRateBelowTheMinimumSampleIsNotEnough() {
    shadowRuns("1", 9, 9);

    Readiness readiness = assess("1", Mode.SHADOW);

    assertThat(readiness.agreement().total().rate()).isEqualTo(1.0);
    assertThat(readiness.supported()).isEqualTo(Mode.SHADOW);
    assertThat(((Recommendation.Hold) readiness.recommendation()).missing())
        .containsExactly("agreement-sample: 9 comparisons, needs at least 10");
  }

  @Test
  void supervisedNeedsTheSuiteAndTheStreakAndAnEditBreaksTheStreak() {
    shadowRuns("1", 10, 10);
    approvals("1", 3, 100);
    runs.add(run("edit").version("1").approval("set_bio", Decision.EDIT, "bob", 103).build());
    approvals("1", 4, 104);
    evaluations.add(suite("1", "regression", 20, 19, 1));

    Readiness readiness = assess("1", Mode.PROPOSE);

    assertThat(readiness.approvals().current()).isEqualTo(4);
    assertThat(readiness.supported()).isEqualTo(Mode.PROPOSE);
    assertThat(readiness.recommendation())
        .isEqualTo(
            new Recommendation.Hold(
                Mode.PROPOSE,
                Mode.SUPERVISED,
                List.of(
                    "approval-streak: 4 approvals in a row without an edit (since bob's edit of"
                        + " set_bio at "
                        + Facts.at(103)
                        + "), needs at least 5")));

    approvals("1", 1, 200);

    Readiness after = assess("1", Mode.PROPOSE);
    assertThat(after.supported()).isEqualTo(Mode.SUPERVISED);
    assertThat(after.recommendation())
        .isEqualTo(new Recommendation.Advance(Mode.PROPOSE, Mode.SUPERVISED));
  }

  @Test
  void theLatestResultOfEverySuiteMustPassAndAnOlderPassDoesNotCount() {
    shadowRuns("1", 10, 10);
    approvals("1", 5, 100);
    evaluations.add(suite("1", "regression", 20, 20, 1));
    evaluations.add(suite("1", "adversarial", 10, 10, 2));
    evaluations.add(suite("1", "regression", 20, 18, 3)); // the newest regression result: 90%

    Readiness readiness = assess("1", Mode.PROPOSE);

    assertThat(readiness.suites()).hasSize(2);
    assertThat(readiness.supported()).isEqualTo(Mode.PROPOSE);
    assertThat(readiness.stepTo(Mode.SUPERVISED).orElseThrow().missing())
        .containsExactly(
            "suite-pass-rate: 90.0% (18/20 in regression, the lowest of 2 suites), needs at least"
                + " 95.0% in every suite");

    evaluations.add(suite("1", "regression", 20, 19, 4)); // 95%: exactly the threshold
    assertThat(assess("1", Mode.PROPOSE).supported()).isEqualTo(Mode.SUPERVISED);
  }

  @Test
  void autonomousNeedsTheLongerStreakAndEndsTheSequence() {
    shadowRuns("1", 10, 10);
    approvals("1", 7, 100);
    evaluations.add(suite("1", "regression", 20, 20, 1));

    Readiness seven = assess("1", Mode.SUPERVISED);
    assertThat(seven.supported()).isEqualTo(Mode.SUPERVISED);
    assertThat(seven.recommendation()).isInstanceOf(Recommendation.Hold.class);
    assertThat(seven.missingFor(Mode.AUTONOMOUS))
        .containsExactly("approval-streak: 7 approvals in a row without an edit, needs at least 8");

    approvals("1", 1, 200);

    assertThat(assess("1", Mode.SUPERVISED).recommendation())
        .isEqualTo(new Recommendation.Advance(Mode.SUPERVISED, Mode.AUTONOMOUS));
    assertThat(assess("1", Mode.AUTONOMOUS).recommendation())
        .isEqualTo(new Recommendation.Final(Mode.AUTONOMOUS));
    assertThat(assess("1", Mode.AUTONOMOUS).summary())
        .startsWith("version 1 supports AUTONOMOUS [agreement-rate 90.0%");
  }

  @Test
  void aModeTheEvidenceNoLongerSupportsIsFlaggedForReview() {
    shadowRuns("1", 10, 10);
    approvals("1", 8, 100);
    evaluations.add(suite("1", "regression", 20, 20, 1));
    runs.add(run("late-edit").version("1").approval("set_bio", Decision.EDIT, "bob", 300).build());

    Readiness readiness = assess("1", Mode.AUTONOMOUS);

    assertThat(readiness.supported()).isEqualTo(Mode.PROPOSE);
    assertThat(readiness.recommendation()).isInstanceOf(Recommendation.Review.class);
    Recommendation.Review review = (Recommendation.Review) readiness.recommendation();
    assertThat(review.back()).isEqualTo(Mode.PROPOSE);
    assertThat(review.missing())
        .containsExactly(
            "approval-streak: 0 approvals in a row without an edit (since bob's edit of set_bio at "
                + Facts.at(300)
                + "), needs at least 8");
    assertThat(review.describe()).contains("consider going back to PROPOSE");
  }

  @Test
  void theEvidenceOfAVersionIsItsOwnAndANewVersionStartsOver() {
    shadowRuns("1", 10, 10);
    approvals("1", 8, 100);
    evaluations.add(suite("1", "regression", 20, 20, 1));
    approvals("2", 2, 300);
    evaluations.add(suite("2", "regression", 20, 20, 2));

    assertThat(assess("1", Mode.SUPERVISED).supported()).isEqualTo(Mode.AUTONOMOUS);
    Readiness v2 = assess("2", Mode.SUPERVISED);
    assertThat(v2.supported()).isEqualTo(Mode.SHADOW);
    assertThat(v2.approvals().current()).isEqualTo(2);
    assertThat(v2.recommendation()).isInstanceOf(Recommendation.Review.class);
    assertThat(evidence().latestVersion()).contains("2");
  }

  @Test
  void withoutAKnownModeTheRecommendationIsRelativeToWhatTheEvidenceSupports() {
    shadowRuns("1", 10, 10);

    Readiness readiness = assess("1", null);

    assertThat(readiness.currentMode()).isEmpty();
    assertThat(readiness.recommendation().mode()).isEqualTo(Mode.PROPOSE);
    assertThat(readiness.recommendation()).isInstanceOf(Recommendation.Hold.class);
  }

  @Test
  void feedbackOfTheVersionIsSummarised() {
    feedback.add(
        new Feedback(
            dev.bridle.core.journal.RunId.of("r1"), "crm", "1", 4, "fine", "bob", Facts.T0));
    feedback.add(
        new Feedback(dev.bridle.core.journal.RunId.of("r2"), "crm", "1", 1, "", "bob", Facts.T0));
    feedback.add(
        new Feedback(dev.bridle.core.journal.RunId.of("r3"), "crm", "2", 5, "", "bob", Facts.T0));

    FeedbackSummary summary = assess("1", null).feedback();

    assertThat(summary.count()).isEqualTo(2);
    assertThat(summary.mean()).hasValue(2.5);
  }

  @Test
  void settingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> ReadinessSettings.DEFAULT.withAgreementRate(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("readiness agreement-rate must be above 0 and at most 1, but was 0.0");
    assertThatThrownBy(() -> ReadinessSettings.DEFAULT.withSuitePassRate(1.5))
        .hasMessage("readiness suite-pass-rate must be above 0 and at most 1, but was 1.5");
    assertThatThrownBy(() -> ReadinessSettings.DEFAULT.withStreaks(100, 50))
        .hasMessage(
            "readiness autonomous-streak must be at least supervised-streak (100), but was 50");
    assertThatThrownBy(() -> ReadinessSettings.DEFAULT.withMinimumComparisons(0))
        .hasMessage("readiness minimum-comparisons must be at least 1, but was 0");
  }
}
