package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite ledger on a real file: seeding, decisions, idempotency, reopening, flags. */
class ExpenseLedgerTest {

  private static final Instant NOW = Instant.parse("2026-03-23T09:00:00Z");
  private static final String AGENT = "agent:expense-approval@1";

  @TempDir Path dir;

  private ExpenseLedger ledger;

  @BeforeEach
  void freshLedger() {
    ledger = ExpenseLedger.at(dir.resolve("sub/dir/ledger.db"));
  }

  @Test
  void theFirstUseCreatesTheFileAndSeedsTheBundledReports() {
    assertThat(ledger.file()).doesNotExist();

    ExpenseReport report = ledger.require("E-2011");

    assertThat(ledger.file()).isRegularFile();
    assertThat(report.employee()).isEqualTo("Petra Novak");
    assertThat(report.items()).hasSize(6);
    assertThat(report.total()).isEqualByComparingTo("1133.00");
    assertThat(ledger.reports()).isEqualTo(ExpenseLedger.bundledReports());
  }

  @Test
  void aSecondLedgerOnTheSameFileSeesTheDecisionsAndDoesNotSeedAgain() {
    ledger.decide("E-2001", ReportStatus.APPROVED, "Within policy.", AGENT, "run-1/call_1", NOW);

    ExpenseLedger reopened = ExpenseLedger.at(ledger.file());

    assertThat(reopened.require("E-2001").status()).isEqualTo(ReportStatus.APPROVED);
    assertThat(reopened.reports()).hasSize(30);
  }

  @Test
  void aDecisionSetsTheStatusAndIsRecordedUnderItsKey() {
    ReportDecision decision =
        ledger.decide(
            "E-2001", ReportStatus.APPROVED, "Within policy.", AGENT, "run-1/call_3", NOW);

    assertThat(decision)
        .isEqualTo(
            new ReportDecision(
                "E-2001",
                ReportStatus.SUBMITTED,
                ReportStatus.APPROVED,
                "Within policy.",
                AGENT,
                NOW,
                false));
    assertThat(decision.resource()).isEqualTo("expenses:report/E-2001");
    ExpenseReport report = ledger.require("E-2001");
    assertThat(report.status()).isEqualTo(ReportStatus.APPROVED);
    assertThat(report.decision()).contains(new Decision(AGENT, NOW, "Within policy."));
    assertThat(ledger.decisionsOf("E-2001")).containsExactly(decision);
  }

  @Test
  void theSameKeyAgainChangesNothingAndAnswersTheFirstDecision() {
    ReportDecision first =
        ledger.decide("E-2018", ReportStatus.REJECTED, "section 4: no receipt.", AGENT, "k1", NOW);

    ReportDecision again =
        ledger.decide(
            "E-2018",
            ReportStatus.REJECTED,
            "section 4: no receipt.",
            AGENT,
            "k1",
            NOW.plusSeconds(30));

    assertThat(again.repeated()).isTrue();
    assertThat(again.decidedAt()).isEqualTo(first.decidedAt());
    assertThat(ledger.decisionsOf("E-2018")).hasSize(1);
    assertThatThrownBy(
            () -> ledger.decide("E-2019", ReportStatus.REJECTED, "other", AGENT, "k1", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "idempotency key k1 was already used to make report E-2018 rejected, not report"
                + " E-2019 rejected");
  }

  @Test
  void aDecidedReportIsNotDecidedAgain() {
    assertThatThrownBy(
            () -> ledger.decide("E-2028", ReportStatus.REJECTED, "late", AGENT, "k2", NOW))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessage(
            "report E-2028 was already approved by ruth.alvarez at 2026-02-27T10:15:00Z; a"
                + " decided report is not decided again");
    assertThat(ledger.decisionsOf("E-2028")).isEmpty();
  }

  @Test
  void anUnknownReportSaysWhichIdsExist() {
    assertThatThrownBy(() -> ledger.require("E-9999"))
        .isInstanceOf(UnknownReportException.class)
        .hasMessage("no expense report E-9999 in the ledger; ids are E-2001..E-2030");
    assertThatThrownBy(() -> ledger.decide("E-9999", ReportStatus.APPROVED, "ok", AGENT, "k3", NOW))
        .isInstanceOf(UnknownReportException.class);
    assertThatThrownBy(
            () -> ledger.decide("E-2001", ReportStatus.SUBMITTED, "ok", AGENT, "k4", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use reopen");
  }

  @Test
  void reopeningUndoesTheDecisionItNamesAndNothingElse() {
    ledger.decide("E-2002", ReportStatus.APPROVED, "ok", AGENT, "decide", NOW);

    ReportDecision reopened =
        ledger.reopen("E-2002", ReportStatus.APPROVED, "alice", "revert-1", NOW.plusSeconds(60));

    assertThat(reopened.before()).isEqualTo(ReportStatus.APPROVED);
    assertThat(reopened.after()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(ledger.require("E-2002").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(ledger.require("E-2002").decision()).isEmpty();
    assertThat(ledger.decisionsOf("E-2002")).hasSize(2);

    ReportDecision noop = ledger.reopen("E-2002", ReportStatus.APPROVED, "alice", "revert-2", NOW);
    assertThat(noop.before()).isEqualTo(noop.after()).isEqualTo(ReportStatus.SUBMITTED);
    assertThat(ledger.decisionsOf("E-2002")).as("a no-op is not recorded").hasSize(2);

    assertThatThrownBy(
            () -> ledger.reopen("E-2029", ReportStatus.APPROVED, "alice", "revert-3", NOW))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessage(
            "report E-2029 is rejected now, not approved; reopening it would undo a decision this"
                + " call did not make");
    assertThat(ledger.require("E-2029").status()).isEqualTo(ReportStatus.REJECTED);
  }

  @Test
  void aFlagLeavesTheReportSubmittedAndIsRaisedOncePerKey() {
    ReviewFlag flag = ledger.flag("E-2026", "Is an escape room training?", AGENT, "f1", NOW);
    ReviewFlag again = ledger.flag("E-2026", "Is an escape room training?", AGENT, "f1", NOW);

    assertThat(flag.flagId()).isPositive();
    assertThat(flag.repeated()).isFalse();
    assertThat(again.repeated()).isTrue();
    assertThat(again.flagId()).isEqualTo(flag.flagId());
    assertThat(ledger.flagsOf("E-2026")).hasSize(1);
    assertThat(ledger.require("E-2026").status()).isEqualTo(ReportStatus.SUBMITTED);
    assertThatThrownBy(() -> ledger.flag("E-2028", "Please look again.", AGENT, "f2", NOW))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("only a submitted report can be flagged");
  }

  @Test
  void concurrentDecisionsOfOneReportLetExactlyOneWin() throws Exception {
    ledger.require("E-2005"); // create and seed before the race
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ReportDecision>> attempts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String key = "race-" + i;
        attempts.add(
            pool.submit(
                () -> ledger.decide("E-2005", ReportStatus.APPROVED, "ok", AGENT, key, NOW)));
      }
      int won = 0;
      int refused = 0;
      for (Future<ReportDecision> attempt : attempts) {
        try {
          attempt.get();
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DecisionRefusedException.class);
          refused++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(refused).isEqualTo(3);
      assertThat(ledger.decisionsOf("E-2005")).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theLocationComesFromThePropertyThenTheEnvironmentThenTheDefault() {
    Properties properties = new Properties();
    Map<String, String> environment = Map.of(ExpenseLedger.LOCATION_ENV, "/tmp/from-env.db");

    assertThat(ExpenseLedger.location(Map.of(), properties))
        .isEqualTo(ExpenseLedger.DEFAULT_LOCATION);
    assertThat(ExpenseLedger.location(environment, properties))
        .isEqualTo(Path.of("/tmp/from-env.db"));
    properties.setProperty(ExpenseLedger.LOCATION_PROPERTY, " /tmp/from-property.db ");
    assertThat(ExpenseLedger.location(environment, properties))
        .isEqualTo(Path.of("/tmp/from-property.db"));
    properties.setProperty(ExpenseLedger.LOCATION_PROPERTY, "  ");
    assertThat(ExpenseLedger.location(environment, properties))
        .isEqualTo(Path.of("/tmp/from-env.db"));
  }
}
