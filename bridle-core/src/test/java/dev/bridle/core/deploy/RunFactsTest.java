package dev.bridle.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.Usage;
import dev.bridle.core.tool.Effect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one run's journal contributes to the evidence. */
class RunFactsTest {

  private static final RunId RUN = RunId.of("run-facts-1");
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  private static final String ARGS = "{\"lead\":\"L1\",\"bio\":\"Baker\"}";

  private final List<JournalEntry> journal = new ArrayList<>();

  private void append(RunEvent event) {
    journal.add(new JournalEntry(RUN, journal.size() + 1, event));
  }

  private RunFacts facts() {
    RunSummary summary =
        new RunSummary(
            RUN,
            "crm",
            "1",
            "vic",
            RunStatus.COMPLETED,
            T,
            T,
            2,
            Usage.ZERO,
            "task",
            journal.size());
    return RunFacts.of(summary, journal);
  }

  private void asked(String callId) {
    append(
        new RunEvent.ApprovalRequested(
            T,
            "a-" + callId,
            callId,
            "update_bio",
            Effect.WRITE,
            ARGS,
            "h",
            "p1",
            "ask",
            "vic",
            "",
            T.plusSeconds(3600),
            Decision.REJECT,
            false));
  }

  private void decided(String callId, Decision decision, String approver) {
    append(
        new RunEvent.ApprovalDecided(
            T, "a-" + callId, callId, decision, ARGS, "h", "p1", approver, null));
  }

  @Test
  void aDecisionOnAnAskedCallCounts() {
    asked("call_1");
    decided("call_1", Decision.APPROVE, "april");

    assertThat(facts().approvals())
        .singleElement()
        .satisfies(a -> assertThat(a.decision()).isEqualTo(Decision.APPROVE));
  }

  @Test
  void aDecisionOnTheSameCallOnceItIsInDoubtDoesNotCount() {
    asked("call_1");
    decided("call_1", Decision.APPROVE, "april");
    append(new RunEvent.ToolCallInDoubt(T, "call_1", "update_bio", "k", "the node died"));
    decided("call_1", Decision.REJECT, "otto");

    assertThat(facts().approvals())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.decision()).isEqualTo(Decision.APPROVE);
              assertThat(a.approver()).isEqualTo("april");
            });
    assertThat(ApprovalStreak.of(List.of(facts())).current()).isEqualTo(1);
  }

  @Test
  void aHugeExponentInArgumentsStaysAnExponentInTheirCanonicalForm() {
    String huge = "{\"amount\":1e400000000}";

    assertThat(CanonicalJson.ofText(huge).orElseThrow())
        .isEqualTo(CanonicalJson.ofText("{\"amount\":10E+399999999}").orElseThrow())
        .hasSizeLessThan(40);
    assertThat(CanonicalJson.ofText("{\"amount\":100.50}").orElseThrow())
        .isEqualTo(CanonicalJson.ofText("{\"amount\":1.005e2}").orElseThrow())
        .contains("100.5");
  }
}
