package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreakerSettings;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.guard.GuardTrip;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.Usage;
import dev.bridle.store.RunStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridle breaker}: a breaker that failing runs tripped on a node is visible, its diverted
 * task is in the fallback queue, an operator closes it, and the log shows both.
 */
class BreakerCommandTest {

  private static final String MESSAGE = "Refunds go to the refunds desk for now.";

  @TempDir Path dir;

  private String db() {
    return "sqlite:" + dir.resolve("bridle.db");
  }

  private CliHarness.Execution bridle(String... args) {
    String[] withDb = new String[args.length + 2];
    System.arraycopy(args, 0, withDb, 0, args.length);
    withDb[args.length] = "--db";
    withDb[args.length + 1] = db();
    return CliHarness.execute(withDb);
  }

  /**
   * What a node does: three runs of refunds fail and are recorded, which trips the breaker (at
   * least 3 samples, 50%); the next task is diverted, as the breaker's input guard journals it.
   *
   * @return the diverted run
   */
  private RunId failThreeRunsAndDivertOne() {
    try (RunStore store = RunStores.open(db())) {
      QualityBreaker breaker =
          QualityBreaker.builder()
              .store(RunStores.qualityBreakers(store))
              .settings(
                  "refunds",
                  QualityBreakerSettings.DEFAULT.withMinimumSamples(3).withMessage(MESSAGE))
              .build();
      Instant now = Instant.now();
      for (int i = 1; i <= 3; i++) {
        RunId runId = RunId.of("run-failed-" + i);
        store.appendAll(
            runId,
            0,
            List.of(
                started(now, "refund order " + i),
                new RunEvent.RunFailed(
                    now, RunEvent.FailureKind.ERROR, "model call failed", 1, Usage.ZERO)));
        breaker.recordRun(store, runId);
      }
      RunId diverted = RunId.of("run-diverted");
      store.appendAll(
          diverted,
          0,
          List.of(
              started(now, "refund order 4, customer waiting"),
              new RunEvent.GuardTripped(
                  now,
                  QualityBreaker.GUARD_NAME,
                  GuardStage.INPUT,
                  GuardTrip.Kind.ESCALATE,
                  MESSAGE,
                  null,
                  null),
              new RunEvent.RunFailed(
                  now,
                  RunEvent.FailureKind.ESCALATED,
                  QualityBreaker.GUARD_NAME + ": " + MESSAGE,
                  0,
                  Usage.ZERO)));
      assertThat(breaker.recordRun(store, diverted)).isEmpty();
      return diverted;
    }
  }

  private static RunEvent started(Instant at, String task) {
    return new RunEvent.RunStarted(
        at, "refunds", "3", "agent:refunds@3", "dana", "Refund orders.", task, "scripted");
  }

  @Test
  void anOperatorSeesATrippedBreakerAndItsQueueClosesItAndTheLogRecordsBoth() throws Exception {
    CliHarness.Execution empty = bridle("breaker", "status");
    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out()).contains("No quality breaker has recorded anything yet");

    RunId diverted = failThreeRunsAndDivertOne();

    JsonNode open = bridle("breaker", "status", "--workflow", "refunds", "--json").json();
    JsonNode breaker = open.path("breakers").get(0);
    assertThat(breaker.path("state").asText()).isEqualTo("OPEN");
    assertThat(breaker.path("changedBy").asText()).isEqualTo(QualityBreaker.TRIPPED_BY);
    assertThat(breaker.path("reason").asText())
        .isEqualTo("failure rate 100% (3 of the last 3 samples) reached 50%");
    assertThat(breaker.path("window").path("samples").asInt()).isEqualTo(3);
    assertThat(breaker.path("window").path("failures").asInt()).isEqualTo(3);
    assertThat(breaker.path("window").path("failureRate").asDouble()).isEqualTo(1.0);
    assertThat(breaker.path("rule").asText()).startsWith("opens at 50% failures");

    CliHarness.Execution text = bridle("breaker", "status");
    assertThat(text.out())
        .contains("refunds  OPEN  since ")
        .contains("by quality-breaker: failure rate 100%")
        .contains("window: 3 of 3 failed (100%)")
        .contains("close it with: bridle breaker close --workflow refunds");

    JsonNode queue = bridle("breaker", "queue", "--workflow", "refunds", "--json").json();
    assertThat(queue).hasSize(1);
    assertThat(queue.get(0).path("runId").asText()).isEqualTo(diverted.value());
    assertThat(queue.get(0).path("task").asText()).isEqualTo("refund order 4, customer waiting");
    assertThat(queue.get(0).path("user").asText()).isEqualTo("dana");
    assertThat(queue.get(0).path("reason").asText()).isEqualTo(MESSAGE);
    assertThat(queue.get(0).path("byQualityBreaker").asBoolean()).isTrue();
    assertThat(bridle("breaker", "queue").out())
        .contains("run-diverted  refunds  for dana")
        .contains("breaker open")
        .contains("task: refund order 4, customer waiting");

    CliHarness.Execution openAgain =
        bridle("breaker", "open", "--workflow", "refunds", "--reason", "again");
    assertThat(openAgain.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(openAgain.out()).contains("is open").contains("Nothing changed.");

    CliHarness.Execution close =
        bridle(
            "breaker",
            "close",
            "--workflow",
            "refunds",
            "--reason",
            "provider fixed",
            "--as",
            "ops:lee");
    assertThat(close.exitCode()).as(close.err()).isZero();
    assertThat(close.out()).contains("Closed the quality breaker of workflow refunds");
    CliHarness.Execution closeAgain = bridle("breaker", "close", "--workflow", "refunds");
    assertThat(closeAgain.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(closeAgain.out()).contains("was not open; nothing changed");

    JsonNode closed = bridle("breaker", "status", "--workflow", "refunds", "--json").json();
    assertThat(closed.path("breakers").get(0).path("state").asText()).isEqualTo("CLOSED");
    assertThat(closed.path("breakers").get(0).path("changedBy").asText()).isEqualTo("ops:lee");
    assertThat(closed.path("breakers").get(0).path("window").path("samples").asInt()).isZero();

    JsonNode history = bridle("breaker", "history", "--workflow", "refunds", "--json").json();
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("action").asText()).isEqualTo("CLOSE");
    assertThat(history.get(0).path("by").asText()).isEqualTo("ops:lee");
    assertThat(history.get(0).path("reason").asText()).isEqualTo("provider fixed");
    assertThat(history.get(1).path("action").asText()).isEqualTo("TRIP");
    assertThat(history.get(1).path("by").asText()).isEqualTo(QualityBreaker.TRIPPED_BY);
    assertThat(bridle("breaker", "history").out())
        .contains("close  refunds              by ops:lee: provider fixed")
        .contains("trip   refunds              by quality-breaker: failure rate 100%");
  }

  @Test
  void anOperatorOpensABreakerByHand() throws Exception {
    CliHarness.Execution open =
        bridle(
            "breaker",
            "open",
            "--workflow",
            "triage",
            "--reason",
            "bad prompt in v7",
            "--as",
            "ops:dana");
    assertThat(open.exitCode()).as(open.err()).isZero();
    assertThat(open.out()).contains("its new tasks go to the human fallback queue");

    JsonNode status = bridle("breaker", "status", "--json").json().path("breakers");
    assertThat(status).hasSize(1);
    assertThat(status.get(0).path("workflow").asText()).isEqualTo("triage");
    assertThat(status.get(0).path("state").asText()).isEqualTo("OPEN");
    assertThat(status.get(0).path("reason").asText()).isEqualTo("bad prompt in v7");
    JsonNode unknown = bridle("breaker", "status", "--workflow", "refunds", "--json").json();
    assertThat(unknown.path("breakers").get(0).path("state").asText()).isEqualTo("CLOSED");
    assertThat(bridle("breaker", "queue").out()).contains("The fallback queue is empty.");
  }

  @Test
  void usageErrorsSayWhatIsWrong() {
    CliHarness.Execution noReason = bridle("breaker", "open", "--workflow", "refunds");
    assertThat(noReason.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noReason.err()).contains("--reason");

    CliHarness.Execution blankReason =
        bridle("breaker", "open", "--workflow", "refunds", "--reason", " ");
    assertThat(blankReason.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(blankReason.err()).contains("--reason must say something");

    CliHarness.Execution badLimit = bridle("breaker", "history", "--limit", "0");
    assertThat(badLimit.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badLimit.err()).contains("--limit must be between 1 and 10000, but was 0");

    CliHarness.Execution badWorkflow = bridle("breaker", "close", "--workflow", " ");
    assertThat(badWorkflow.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badWorkflow.err()).contains("--workflow: a quality breaker's workflow name");

    CliHarness.Execution noSubcommand = CliHarness.execute("breaker");
    assertThat(noSubcommand.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noSubcommand.err()).contains("name a subcommand: status, open, close");
  }
}
