package dev.bridle.core.deploy;

import dev.bridle.core.policy.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether one version of a workflow has earned its next mode: the evidence, the checks of each step
 * of the deployment sequence, the highest mode the evidence supports, and a recommendation. Pure
 * arithmetic ({@link #assess}); the rule table, as in {@code docs/deployment.md}:
 *
 * <table>
 *   <caption>What each step needs (defaults of {@link ReadinessSettings#DEFAULT})</caption>
 *   <tr><th>step</th><th>checks</th></tr>
 *   <tr><td>SHADOW → PROPOSE</td><td>agreement over at least {@code minimum-comparisons} (50)
 *       comparisons, at least {@code agreement-rate} (90%)</td></tr>
 *   <tr><td>PROPOSE → SUPERVISED</td><td>the latest result of every suite at least {@code
 *       suite-pass-rate} (95%); the approval streak at least {@code supervised-streak} (100)</td></tr>
 *   <tr><td>SUPERVISED → AUTONOMOUS</td><td>the same suites; the approval streak at least {@code
 *       autonomous-streak} (300)</td></tr>
 * </table>
 *
 * <p>The evidence supports a mode when every step up to it is met ({@link #supported()}): SHADOW
 * always. The evidence of a version is its own: its runs, the decisions and feedback on them, its
 * suite results. A new version starts with none.
 *
 * @param version the version assessed; {@code ""} when the workflow has no runs nor suite results
 * @param currentMode the mode the workflow runs in: its override, else its file's when known
 * @param supported the highest mode the evidence supports
 * @param steps the three steps and their checks, in order
 * @param suites the newest result of each suite of the version, newest first
 */
public record Readiness(
    String workflow,
    String version,
    Optional<Mode> currentMode,
    Mode supported,
    Recommendation recommendation,
    List<Step> steps,
    Agreement agreement,
    ApprovalStreak approvals,
    List<EvaluationRecord> suites,
    FeedbackSummary feedback,
    ReadinessSettings settings) {

  public Readiness {
    Texts.workflow(workflow);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(currentMode, "currentMode");
    Objects.requireNonNull(supported, "supported");
    Objects.requireNonNull(recommendation, "recommendation");
    steps = List.copyOf(steps);
    Objects.requireNonNull(agreement, "agreement");
    Objects.requireNonNull(approvals, "approvals");
    suites = List.copyOf(suites);
    Objects.requireNonNull(feedback, "feedback");
    Objects.requireNonNull(settings, "settings");
  }

  /**
   * One check of a step.
   *
   * @param name {@code agreement-sample}, {@code agreement-rate}, {@code suite-pass-rate} or {@code
   *     approval-streak}
   * @param actual what the evidence shows, in words
   * @param required what the step needs, in words
   */
  public record Check(String name, boolean met, String actual, String required) {
    public Check {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(actual, "actual");
      Objects.requireNonNull(required, "required");
    }

    /** {@code approval-streak: 37, needs at least 100}. */
    public String describe() {
      return name + ": " + actual + ", needs " + required;
    }
  }

  /** A step of the deployment sequence and its checks. */
  public record Step(Mode from, Mode to, List<Check> checks) {
    public Step {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      checks = List.copyOf(checks);
    }

    /** Whether every check is met. */
    public boolean ready() {
      return checks.stream().allMatch(Check::met);
    }

    /** The checks not met, described. */
    public List<String> missing() {
      return checks.stream().filter(c -> !c.met()).map(Check::describe).toList();
    }
  }

  /** What the evidence suggests an operator does with the mode. */
  public sealed interface Recommendation {

    /** The mode to be in, by this recommendation. */
    Mode mode();

    /** In one line. */
    String describe();

    /** The evidence supports the next mode: change to it. */
    record Advance(Mode from, Mode to) implements Recommendation {
      @Override
      public Mode mode() {
        return to;
      }

      @Override
      public String describe() {
        return "ready for " + to + ": the evidence supports " + from + " → " + to;
      }
    }

    /** Stay: the evidence supports this mode, not yet the next. */
    record Hold(Mode mode, Mode next, List<String> missing) implements Recommendation {
      public Hold {
        missing = List.copyOf(missing);
      }

      @Override
      public String describe() {
        return "stay in " + mode + "; " + next + " needs " + String.join("; ", missing);
      }
    }

    /** The evidence no longer supports the current mode: consider going back to {@code back}. */
    record Review(Mode mode, Mode back, List<String> missing) implements Recommendation {
      public Review {
        missing = List.copyOf(missing);
      }

      @Override
      public String describe() {
        return "the evidence does not support "
            + mode
            + ", only "
            + back
            + " (missing: "
            + String.join("; ", missing)
            + "); consider going back to "
            + back;
      }
    }

    /** AUTONOMOUS, and the evidence supports it: the end of the sequence. */
    record Final(Mode mode) implements Recommendation {
      @Override
      public String describe() {
        return "stay in "
            + mode
            + ": the end of the deployment sequence, and the evidence supports it";
      }
    }
  }

  /** Whether the evidence supports {@code mode}. */
  public boolean supports(Mode mode) {
    return supported.compareTo(mode) >= 0;
  }

  /** The step into {@code mode}; empty for SHADOW, the first. */
  public Optional<Step> stepTo(Mode mode) {
    return steps.stream().filter(s -> s.to() == mode).findFirst();
  }

  /**
   * What {@code mode} needs that the evidence does not show: the missing checks of every step up to
   * it, each check once (of a check two steps share, such as the approval streak, the later step's,
   * which asks more); empty when the evidence supports it.
   */
  public List<String> missingFor(Mode mode) {
    java.util.Map<String, String> missing = new java.util.LinkedHashMap<>();
    for (Step step : steps) {
      if (step.to().compareTo(mode) <= 0) {
        step.checks().stream()
            .filter(check -> !check.met())
            .forEach(check -> missing.put(check.name(), check.describe()));
      }
    }
    return new ArrayList<>(missing.values());
  }

  /** The readiness in one line, for the record of a mode change. */
  public String summary() {
    return "version "
        + (version.isEmpty() ? "(none)" : version)
        + " supports "
        + supported
        + (supported == Mode.AUTONOMOUS
            ? ""
            : "; " + next(supported) + " needs " + String.join("; ", missingFor(next(supported))))
        + " ["
        + settings.describe()
        + "]";
  }

  /**
   * Assesses the workflow in {@code evidence} as the commands and the API do: {@code version}, else
   * the version now in use ({@link WorkflowEvidence#latestVersion()}); in the mode of its latest
   * mode change, else {@code declared}.
   *
   * @param declared the mode its workflow file declares, when the caller knows it
   */
  public static Readiness of(
      WorkflowEvidence evidence,
      Optional<String> version,
      Optional<Mode> declared,
      ReadinessSettings settings) {
    String assessed = version.or(evidence::latestVersion).orElse("");
    Optional<Mode> current = evidence.currentMode().map(ModeChange::to).or(() -> declared);
    return assess(evidence, assessed, current, settings);
  }

  /**
   * Assesses {@code version} of the workflow in {@code evidence}.
   *
   * @param evidence the workflow's evidence, all versions (only {@code version}'s counts)
   * @param version the version to assess; {@code ""} for a workflow with no evidence yet
   * @param currentMode the mode it runs in, when known
   */
  public static Readiness assess(
      WorkflowEvidence evidence,
      String version,
      Optional<Mode> currentMode,
      ReadinessSettings settings) {
    Objects.requireNonNull(settings, "settings");
    WorkflowEvidence own = evidence.ofVersion(version);
    Agreement agreement = own.agreement();
    ApprovalStreak approvals = own.approvals();
    List<EvaluationRecord> suites = own.latestSuites();
    Check suiteCheck = suiteCheck(suites, version, settings);
    List<Step> steps =
        List.of(
            new Step(
                Mode.SHADOW,
                Mode.PROPOSE,
                List.of(sampleCheck(agreement, settings), agreementCheck(agreement, settings))),
            new Step(
                Mode.PROPOSE,
                Mode.SUPERVISED,
                List.of(suiteCheck, streakCheck(approvals, settings.supervisedStreak()))),
            new Step(
                Mode.SUPERVISED,
                Mode.AUTONOMOUS,
                List.of(suiteCheck, streakCheck(approvals, settings.autonomousStreak()))));
    Mode supported = Mode.SHADOW;
    for (Step step : steps) {
      if (!step.ready()) {
        break;
      }
      supported = step.to();
    }
    Readiness draft =
        new Readiness(
            evidence.workflow(),
            version,
            currentMode,
            supported,
            new Recommendation.Final(Mode.AUTONOMOUS),
            steps,
            agreement,
            approvals,
            suites,
            own.feedbackSummary(),
            settings);
    return draft.withRecommendation(draft.recommend());
  }

  private Recommendation recommend() {
    Mode current = currentMode.orElse(supported);
    if (!supports(current)) {
      return new Recommendation.Review(current, supported, missingFor(current));
    }
    if (current == Mode.AUTONOMOUS) {
      return new Recommendation.Final(current);
    }
    Mode next = next(current);
    Step step = stepTo(next).orElseThrow();
    if (supports(next)) {
      return new Recommendation.Advance(current, next);
    }
    return new Recommendation.Hold(current, next, step.missing());
  }

  private Readiness withRecommendation(Recommendation value) {
    return new Readiness(
        workflow,
        version,
        currentMode,
        supported,
        value,
        steps,
        agreement,
        approvals,
        suites,
        feedback,
        settings);
  }

  /** The mode after {@code mode} in the sequence; AUTONOMOUS after itself. */
  static Mode next(Mode mode) {
    Mode[] modes = Mode.values();
    return modes[Math.min(mode.ordinal() + 1, modes.length - 1)];
  }

  private static Check sampleCheck(Agreement agreement, ReadinessSettings settings) {
    int compared = agreement.total().compared();
    return new Check(
        "agreement-sample",
        compared >= settings.minimumComparisons(),
        compared + (compared == 1 ? " comparison" : " comparisons"),
        "at least " + settings.minimumComparisons());
  }

  private static Check agreementCheck(Agreement agreement, ReadinessSettings settings) {
    Agreement.Tally total = agreement.total();
    return new Check(
        "agreement-rate",
        total.compared() > 0 && total.rate() >= settings.agreementRate(),
        total.compared() == 0 ? "nothing compared yet" : total.describe(),
        "at least " + Texts.percent(settings.agreementRate()));
  }

  private static Check suiteCheck(
      List<EvaluationRecord> suites, String version, ReadinessSettings settings) {
    String required = "at least " + Texts.percent(settings.suitePassRate()) + " in every suite";
    OptionalDouble lowest = suites.stream().mapToDouble(EvaluationRecord::passRate).min();
    if (lowest.isEmpty()) {
      return new Check(
          "suite-pass-rate",
          false,
          "no suite result for version " + (version.isEmpty() ? "(none)" : version),
          required);
    }
    EvaluationRecord worst =
        suites.stream().filter(e -> e.passRate() == lowest.getAsDouble()).findFirst().orElseThrow();
    return new Check(
        "suite-pass-rate",
        lowest.getAsDouble() >= settings.suitePassRate(),
        Texts.percent(worst.passRate())
            + " ("
            + worst.passed()
            + "/"
            + worst.total()
            + " in "
            + worst.suite()
            + (suites.size() > 1 ? ", the lowest of " + suites.size() + " suites" : "")
            + ")",
        required);
  }

  private static Check streakCheck(ApprovalStreak approvals, int needed) {
    return new Check(
        "approval-streak",
        approvals.current() >= needed,
        approvals.current()
            + (approvals.current() == 1 ? " approval" : " approvals")
            + " in a row without an edit"
            + approvals
                .brokenBy()
                .map(
                    b ->
                        " (since "
                            + b.approver()
                            + "'s "
                            + b.decision().name().toLowerCase(java.util.Locale.ROOT)
                            + " of "
                            + b.tool()
                            + " at "
                            + b.at()
                            + ")")
                .orElse(""),
        "at least " + needed);
  }
}
