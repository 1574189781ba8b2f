package dev.bridle.benchmarks.taubench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the material: what is wrong is named with its file, line and field. */
class TauBenchDataTest {

  private static final String TASK =
      """
      {"index": 0, "user_id": "ann_lee_1234", "instruction": "Cancel #W1.", \
      "actions": [{"name": "cancel_pending_order", \
      "kwargs": {"order_id": "#W1", "reason": "no longer needed"}}]}
      """;

  @Test
  void aFolderWithoutTheDataIsNamedAndEndsWithExitCodeTwo(@TempDir Path empty) {
    assertThatThrownBy(() -> RetailData.load(empty, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.resolve(RetailData.TOOLS).toAbsolutePath().toString())
        .hasMessageContaining("taubench-dev");
    assertThat(TauBench.run(new String[] {empty.toString()})).isEqualTo(2);
    assertThat(TauBench.run(new String[] {"--bogus"})).isEqualTo(2);
    assertThat(TauBench.run(new String[] {empty.toString(), "--split"})).isEqualTo(2);
  }

  @Test
  void anUnknownSplitIsNamedWithTheSplitsThereAre(@TempDir Path folder) {
    assertThatThrownBy(() -> RetailData.load(folder, List.of("test")))
        .hasMessage("unknown split 'test' (the retail material has [dev, train])");
  }

  @Test
  void aTaskWithoutAFieldIsReportedWithItsFileAndLine(@TempDir Path folder) throws IOException {
    RetailFixture.writeFolder(
        folder,
        TASK + "{\"index\": 1, \"instruction\": \"x\", \"actions\": []}\n",
        oracle(0) + oracle(1));

    assertThatThrownBy(() -> RetailData.load(folder, List.of("dev")))
        .hasMessage("retail_tasks_dev.jsonl line 2: field 'user_id' is missing");
  }

  @Test
  void anOracleRowForAnotherActionIsRefused(@TempDir Path folder) throws IOException {
    String oracle =
        """
        {"index": 0, "step_outputs": [{"name": "return_delivered_order_items", "output": "{}"}], \
        "expected_changed_records": {}}
        """;
    RetailFixture.writeFolder(folder, TASK, oracle);

    assertThatThrownBy(() -> RetailData.load(folder, List.of("dev")))
        .hasMessage(
            "retail_tasks_dev.expected.jsonl line 1 step_outputs[0] is for"
                + " return_delivered_order_items, but action 0 of the task is cancel_pending_order");
  }

  @Test
  void aToolTheBenchmarkDoesNotKnowFailsLoudly(@TempDir Path folder) throws IOException {
    RetailFixture.writeFolder(folder, TASK, oracle(0));
    String tools = Files.readString(folder.resolve(RetailData.TOOLS));
    Files.writeString(folder.resolve(RetailData.TOOLS), tools.replace("\"think\"", "\"ponder\""));
    RetailData data = RetailData.load(folder, List.of("dev"));

    assertThatThrownBy(() -> new TaskRunner(data))
        .hasMessage("retail_tools.json declares tool 'ponder', which the benchmark does not");
  }

  @Test
  void aSchemaThatChangedUpstreamFailsLoudly(@TempDir Path folder) throws IOException {
    RetailFixture.writeFolder(folder, TASK, oracle(0));
    String tools = Files.readString(folder.resolve(RetailData.TOOLS));
    Files.writeString(folder.resolve(RetailData.TOOLS), tools.replace("\"thought\"", "\"idea\""));
    RetailData data = RetailData.load(folder, List.of("dev"));

    assertThatThrownBy(() -> new TaskRunner(data))
        .hasMessageStartingWith("tool 'think' does not match its schema in retail_tools.json");
  }

  private static String oracle(int index) {
    return "{\"index\": "
        + index
        + ", \"step_outputs\": [{\"name\": \"cancel_pending_order\", \"output\": \"{}\"}],"
        + " \"expected_changed_records\": {}}\n";
  }
}
