package dev.bridle.benchmarks.taubench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark on the real τ-bench retail material: every task of the dev (20) and train (500)
 * splits, approve-all and deny-all, through a real agent, policy and approvals inbox. Needs the
 * material at {@code ../shared/benchmarks/taubench-dev} (found by walking up from the working
 * directory, or given with {@code -Dtaubench.data=...}); skipped when it is absent, as in a fresh
 * clone.
 */
class TauBenchTest {

  private static RetailData data;
  private static List<SplitReport> reports;

  @BeforeAll
  static void runEveryTask() {
    Optional<Path> folder = locate();
    if (folder.isPresent()) {
      data = RetailData.load(folder.get(), RetailData.SPLITS);
      reports = TauBench.runAll(data);
    }
  }

  /** Each test, not the class, is skipped, so that every skip shows its reason in the report. */
  @BeforeEach
  void needsTheData() {
    assumeTrue(
        data != null,
        "τ-bench data not found (no shared/benchmarks/taubench-dev above "
            + Path.of("").toAbsolutePath()
            + " and no -D"
            + TauBench.DATA_PROPERTY
            + "): skipping the τ-bench retail benchmark test");
  }

  @Test
  void readsBothSplitsAtRunTime() {
    assertThat(data.splits().get("dev")).hasSize(20);
    assertThat(data.splits().get("train")).hasSize(500);
    assertThat(data.tools()).hasSize(16);
    assertThat(reports).extracting(SplitReport::split).containsExactly("dev", "train");
  }

  @Test
  void everyWriteWhosePreconditionHoldsAsksOnceAndRefusedWritesAndReadsNeverAsk() {
    for (SplitReport report : reports) {
      for (SimulatedHuman human : SimulatedHuman.values()) {
        for (TaskResult run : report.runs(human)) {
          assertThat(run.oneApprovalPerWrite())
              .as("%s %s: %s", run.task().id(), human.label(), run.problems())
              .isTrue();
        }
        assertThat(report.approvals(human))
            .as(report.split())
            .isEqualTo(report.writes() - report.refusedWrites(human));
      }
      assertThat(report.reads()).isGreaterThan(report.tasks());
    }
  }

  @Test
  void everyStepUpstreamRefusedIsRefusedBeforeAnyoneIsAsked() {
    for (SplitReport report : reports) {
      assertThat(report.refusedWrites(SimulatedHuman.APPROVES_ALL))
          .as(report.split())
          .isEqualTo(report.refusedSteps());
    }
  }

  @Test
  void approveAllChangesExactlyTheExpectedRecordsWithUpstreamsOutputs() {
    for (SplitReport report : reports) {
      for (TaskResult run : report.approveAll()) {
        assertThat(run.recordsMatch()).as("%s: %s", run.task().id(), run.problems()).isTrue();
        assertThat(run.outputsMatch()).as("%s: %s", run.task().id(), run.problems()).isTrue();
      }
    }
  }

  @Test
  void denyAllLeavesTheStoreAsItWas() {
    for (SplitReport report : reports) {
      for (TaskResult run : report.denyAll()) {
        assertThat(run.recordsMatch()).as("%s: %s", run.task().id(), run.problems()).isTrue();
        assertThat(run.changes().isEmpty()).isTrue();
      }
    }
  }

  @Test
  void everyRunCompletesWithoutAProblem() {
    List<String> problems =
        reports.stream()
            .flatMap(r -> r.failures().stream())
            .map(r -> r.task().id() + " " + r.human().label() + ": " + r.problems())
            .toList();
    assertThat(problems).isEmpty();
    assertThat(reports.stream().mapToLong(SplitReport::refusedSteps).sum())
        .as("ground-truth steps upstream refused (train)")
        .isEqualTo(20);
  }

  @Test
  void theSharedTablesAreAsReadAfterAThousandRuns() {
    RetailData fresh = RetailData.load(data.folder(), List.of("dev"));
    assertThat(data.tables().orders()).isEqualTo(fresh.tables().orders());
    assertThat(data.tables().users()).isEqualTo(fresh.tables().users());
    assertThat(data.tables().products()).isEqualTo(fresh.tables().products());
  }

  @Test
  void theDeclaredEffectsAgreeWithTheDataSetsOwnLabel() {
    Map<String, Tool<?>> tools =
        new TaskRunner(data)
            .tools().stream().collect(Collectors.toMap(Tool::name, Function.identity()));
    for (RetailData.ToolSchema schema : data.tools()) {
      assertThat(tools.get(schema.name()).effect())
          .as(schema.name())
          .isEqualTo(schema.mutates() ? Effect.WRITE : Effect.READ);
      assertThat(tools.get(schema.name()).description()).isEqualTo(schema.description());
    }
  }

  static Optional<Path> locate() {
    String property = System.getProperty(TauBench.DATA_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Optional.of(Path.of(property)).filter(Files::isDirectory);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/benchmarks/taubench-dev");
      if (Files.isRegularFile(candidate.resolve(RetailData.TOOLS))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
