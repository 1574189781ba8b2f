package dev.bridle.benchmarks.agentdojo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentDojoBenchmarkTest {

  @Test
  void aFolderWithoutTheDataIsNamedAndEndsWithExitCodeTwo(@TempDir Path empty) {
    assertThatThrownBy(() -> AgentDojoData.load(empty, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.resolve("suites.json").toAbsolutePath().toString())
        .hasMessageContaining("agentdojo-dev");
    assertThat(AgentDojoBenchmark.run(new String[] {empty.toString()})).isEqualTo(2);
    assertThat(AgentDojoBenchmark.run(new String[] {"--bogus"})).isEqualTo(2);
  }

  @Test
  void aBrokenLineIsReportedWithItsFileLineAndField(@TempDir Path folder) throws IOException {
    Files.writeString(
        folder.resolve(AgentDojoData.SUITES),
        """
        {"suites": {"banking": {"tools": [], "injection_vectors": {"v": ""}}}}
        """);
    Files.writeString(
        folder.resolve(AgentDojoData.TRAJECTORIES),
        """
        {"suite": "banking", "user_task_id": "user_task_0", "prompt": "p", \
        "injection_candidates": [], "trajectory": []}
        {"suite": "banking", "user_task_id": "user_task_1", "injection_candidates": [], \
        "trajectory": []}
        """);
    Files.writeString(folder.resolve(AgentDojoData.SCENARIOS), "");

    assertThatThrownBy(() -> AgentDojoData.load(folder, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("benign_trajectories.jsonl line 2: field 'prompt' is missing");
  }

  @Test
  void anUnknownSuiteIsNamedWithTheSuitesThereAre(@TempDir Path folder) throws IOException {
    Files.writeString(
        folder.resolve(AgentDojoData.SUITES),
        "{\"suites\": {\"banking\": {\"tools\": [], \"injection_vectors\": {}}}}");
    Files.writeString(folder.resolve(AgentDojoData.TRAJECTORIES), "");
    Files.writeString(folder.resolve(AgentDojoData.SCENARIOS), "");

    assertThatThrownBy(() -> AgentDojoData.load(folder, List.of("travel")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("suite 'travel'")
        .hasMessageContaining("[banking]");
  }
}
