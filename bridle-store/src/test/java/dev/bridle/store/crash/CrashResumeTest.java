package dev.bridle.store.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.run.RunState;
import dev.bridle.core.run.ToolCallSummary;
import dev.bridle.store.ChildJvm;
import dev.bridle.store.RunStores;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash tests with real processes (DESIGN §3): a child JVM runs the agent on a real SQLite store
 * and stops dead at an interesting point; the test kills it with {@code kill -9}, resumes the run
 * in a fresh JVM, and checks the side-effect table and the final state against an uninterrupted
 * run.
 */
class CrashResumeTest {

  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private String storeUrl;
  private String effectsDb;

  /** The uninterrupted run every crashed one is compared with, made once. */
  private static Outcome reference;

  @BeforeAll
  static void runOnceWithoutACrash(@TempDir Path referenceDir) throws Exception {
    CrashResumeTest test = new CrashResumeTest();
    test.dir = referenceDir;
    test.prepare();
    reference = test.uninterruptedRun();
  }

  @BeforeEach
  void prepare() throws SQLException {
    storeUrl = "sqlite:" + dir.resolve("journal.db");
    effectsDb = dir.resolve("effects.db").toString();
    CrashChild.createEffectsTable(effectsDb);
  }

  /** Crash points after which the run completes exactly as if it had never stopped. */
  @ParameterizedTest(name = "kill -9 {0}")
  @ValueSource(
      strings = {
        "after:ModelResponded:2",
        "after:ToolCallStarted:3",
        "after:ToolCallCompleted:2",
        "after:ModelResponded:4",
        "in-tool:record_note:2",
        "in-snapshot:1",
        "after:RunStarted:1"
      })
  void theResumedRunEqualsAnUninterruptedOneWithEveryEffectOnce(String pause) throws Exception {
    killAt(pause, "run-crash");
    String resumed = child("resume", "run-crash", "none").awaitOutcome();

    assertThat(resumed).isEqualTo(reference.outcome());
    assertThat(effects("run-crash")).isEqualTo(reference.effects());
    assertThat(finalCalls("run-crash")).isEqualTo(reference.calls());
    assertThat(status("run-crash")).isEqualTo(RunStatus.COMPLETED);
    assertThat(eventTypes("run-crash")).contains("RunResumed");
  }

  @Test
  void aNonIdempotentCallKilledAfterItsEffectIsInDoubtAndNeverRepeated() throws Exception {
    killAt("in-tool:transfer:1", "run-crash");

    String resumed = child("resume", "run-crash", "none").awaitOutcome();

    assertThat(resumed).startsWith("suspended: tool call call_2_1 is in doubt");
    assertThat(effects("run-crash"))
        .as("the transfer happened once and was not run again")
        .containsExactly("record_note a", "transfer acct-1:10");
    assertThat(status("run-crash")).isEqualTo(RunStatus.SUSPENDED);
    assertThat(eventTypes("run-crash")).contains("ToolCallInDoubt");

    String again = child("resume", "run-crash", "none").awaitOutcome();
    assertThat(again).contains("in doubt");
    assertThat(effects("run-crash")).hasSize(2);
  }

  @Test
  void aNonIdempotentCallKilledBeforeItRanIsInDoubtToo() throws Exception {
    killAt("after:ToolCallStarted:2", "run-crash");

    String resumed = child("resume", "run-crash", "none").awaitOutcome();

    assertThat(resumed).startsWith("suspended: tool call call_2_1 is in doubt");
    assertThat(effects("run-crash")).containsExactly("record_note a");
  }

  private record Outcome(String outcome, List<String> effects, List<String> calls) {}

  private Outcome uninterruptedRun() throws Exception {
    String outcome = child("run", "run-reference", "none").awaitOutcome();
    return new Outcome(outcome, effects("run-reference"), finalCalls("run-reference"));
  }

  private void killAt(String pause, String runId) throws Exception {
    Child child = child("run", runId, pause);
    child.awaitPaused();
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.process().pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process().exitValue()).isEqualTo(137);
  }

  private record Child(Process process, List<String> lines) {
    void awaitPaused() {
      await()
          .atMost(PROCESS_LIMIT)
          .until(() -> lines.stream().anyMatch(l -> l.startsWith("PAUSED")) || !process.isAlive());
      assertThat(lines).anyMatch(l -> l.startsWith("PAUSED"));
    }

    String awaitOutcome() throws InterruptedException {
      assertThat(process.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      return lines.stream()
          .filter(l -> l.startsWith("OUTCOME "))
          .map(l -> l.substring("OUTCOME ".length()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("child printed no outcome: " + lines));
    }
  }

  private Child child(String mode, String runId, String pause) throws IOException {
    ChildJvm jvm =
        ChildJvm.start(CrashChild.class, List.of(), mode, runId, storeUrl, effectsDb, pause);
    return new Child(jvm.process(), jvm.lines());
  }

  private List<String> effects(String runId) throws SQLException {
    List<String> effects = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + effectsDb);
        ResultSet rows =
            c.createStatement()
                .executeQuery(
                    "SELECT tool, args FROM effects WHERE idempotency_key LIKE '"
                        + runId
                        + "/%' ORDER BY rowid")) {
      while (rows.next()) {
        effects.add(rows.getString(1) + " " + rows.getString(2));
      }
    }
    return effects;
  }

  private List<String> finalCalls(String runId) {
    try (RunStore store = RunStores.open(storeUrl)) {
      List<JournalEntry> entries = store.read(RunId.of(runId));
      return RunState.replay(RunId.of(runId), entries).toolCalls().stream()
          .map(ToolCallSummary::toString)
          .toList();
    }
  }

  private RunStatus status(String runId) {
    try (RunStore store = RunStores.open(storeUrl)) {
      return store.find(RunId.of(runId)).orElseThrow().status();
    }
  }

  private List<String> eventTypes(String runId) {
    try (RunStore store = RunStores.open(storeUrl)) {
      return store.read(RunId.of(runId)).stream()
          .map(JournalEntry::event)
          .map(RunEvent::getClass)
          .map(Class::getSimpleName)
          .toList();
    }
  }
}
