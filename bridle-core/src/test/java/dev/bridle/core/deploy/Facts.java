package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.tool.Effect;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Run facts and evidence built by hand, for the arithmetic tests. */
final class Facts {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private Facts() {}

  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  /** A builder of one run's facts: version 1 of {@code crm}, completed. */
  static Run run(String id) {
    return new Run(id);
  }

  static HumanCall human(String tool, String arguments) {
    return new HumanCall(tool, arguments);
  }

  static ShadowDecision decision(String runId, String version, HumanCall... calls) {
    return new ShadowDecision(RunId.of(runId), "crm", version, List.of(calls), "hugo", T0);
  }

  static EvaluationRecord suite(String version, String suite, int total, int passed, int minute) {
    return new EvaluationRecord("crm", version, suite, total, passed, at(minute), "ci");
  }

  static final class Run {
    private final String id;
    private String version = "1";
    private RunStatus status = RunStatus.COMPLETED;
    private Instant created = T0;
    private final List<RunFacts.Call> shadowed = new ArrayList<>();
    private final List<RunFacts.Call> executed = new ArrayList<>();
    private final List<RunFacts.ApprovalOutcome> approvals = new ArrayList<>();
    private BigDecimal cost = BigDecimal.ZERO;
    private long tokens;

    private Run(String id) {
      this.id = id;
    }

    Run version(String value) {
      version = value;
      return this;
    }

    Run status(RunStatus value) {
      status = value;
      return this;
    }

    Run created(int minute) {
      created = at(minute);
      return this;
    }

    /** The agent would have called {@code tool} with {@code arguments} (JSON). */
    Run shadowed(String tool, String arguments) {
      shadowed.add(
          new RunFacts.Call(
              "call_" + (shadowed.size() + 1),
              tool,
              Effect.WRITE,
              CanonicalJson.ofText(arguments).orElseThrow()));
      return this;
    }

    Run approval(String tool, Decision decision, String approver, int minute) {
      approvals.add(
          new RunFacts.ApprovalOutcome(
              RunId.of(id),
              "call_" + (approvals.size() + 1),
              tool,
              decision,
              approver,
              at(minute)));
      return this;
    }

    Run cost(String usd, long tokenCount) {
      cost = new BigDecimal(usd);
      tokens = tokenCount;
      return this;
    }

    RunFacts build() {
      return new RunFacts(
          RunId.of(id),
          "crm",
          version,
          "bob",
          status,
          created,
          shadowed,
          executed,
          approvals,
          tokens,
          cost,
          0);
    }
  }
}
