package dev.bridle.benchmarks.taubench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs through a real agent, policy and approvals inbox on the {@link RetailFixture} store,
 * with an oracle written by hand: a cancellation that refunds a gift card, then an item change the
 * store refuses for want of gift card balance.
 */
class TauBenchRunTest {

  private static final String TASK =
      """
      {"index": 0, "user_id": "ann_lee_1234", "instruction": "Cancel #W1, then change the kettle.", \
      "actions": [{"name": "cancel_pending_order", \
      "kwargs": {"order_id": "#W1", "reason": "no longer needed"}}, \
      {"name": "modify_pending_order_items", "kwargs": {"order_id": "#W3", "item_ids": ["200"], \
      "new_item_ids": ["201"], "payment_method_id": "gift_card_2"}}]}
      """;

  @TempDir Path folder;

  @Test
  void approveAllReachesTheOracleAndDenyAllChangesNothingWithOneApprovalPerAcceptedWrite()
      throws IOException {
    RetailData data = load(200.1);
    SplitReport dev = TauBench.runAll(data).getFirst();

    TaskResult approved = dev.approveAll().getFirst();
    assertThat(approved.problems()).isEmpty();
    assertThat(approved.completed()).isTrue();
    assertThat(approved.calls())
        .extracting(TaskResult.Call::tool)
        .containsExactly(
            "get_user_details",
            "get_order_details",
            "get_order_details",
            "cancel_pending_order",
            "modify_pending_order_items");
    // the item change the store refuses is refused by its precondition: nobody is asked
    assertThat(approved.calls())
        .extracting(TaskResult.Call::approvals)
        .containsExactly(0, 0, 0, 1, 0);
    assertThat(approved.calls().get(4).refused()).isTrue();
    assertThat(approved.calls().get(4).executed()).isFalse();
    assertThat(approved.calls().get(4).observation())
        .isEqualTo("Error: insufficient gift card balance to pay for the new item");
    assertThat(
            approved
                .changes()
                .path("users")
                .path("ann_lee_1234")
                .path("payment_methods")
                .path("gift_card_1")
                .path("balance")
                .doubleValue())
        .isEqualTo(200.1);

    TaskResult denied = dev.denyAll().getFirst();
    assertThat(denied.problems()).isEmpty();
    assertThat(denied.changes().isEmpty()).isTrue();
    assertThat(denied.calls())
        .extracting(TaskResult.Call::approvals)
        .containsExactly(0, 0, 0, 1, 0);
    assertThat(denied.calls().get(3).executed()).isFalse();
    assertThat(denied.calls())
        .extracting(TaskResult.Call::decision)
        .containsExactly(null, null, null, RunEvent.Decision.REJECT, null);

    assertThat(dev.writes()).isEqualTo(2);
    assertThat(dev.reads()).isEqualTo(3);
    assertThat(dev.refusedSteps()).isEqualTo(1);
    assertThat(dev.refusedWrites(SimulatedHuman.APPROVES_ALL)).isEqualTo(1);
    assertThat(dev.refusedWrites(SimulatedHuman.DENIES_ALL)).isEqualTo(1);
    assertThat(dev.approvals(SimulatedHuman.APPROVES_ALL)).isEqualTo(1);
    assertThat(dev.approvals(SimulatedHuman.DENIES_ALL)).isEqualTo(1);
    assertThat(TauBench.markdown(folder, List.of(dev)))
        .contains("| dev | 1 | 2 | 1 | 1 / 1 | 3 | 1 | 1 | 2 / 2 | 1 / 1 | 1 / 1 | 1 / 1 |")
        .contains("Every property held in every run.");
    assertThat(TauBench.run(new String[] {folder.toString(), "--split", "dev"})).isZero();
  }

  @Test
  void aRecordThatDiffersFromTheOracleIsReportedWithTheFieldAndFailsTheRun() throws IOException {
    RetailData data = load(200.2);
    SplitReport dev = TauBench.runAll(data).getFirst();

    TaskResult approved = dev.approveAll().getFirst();
    assertThat(approved.recordsMatch()).isFalse();
    assertThat(approved.oneApprovalPerWrite()).isTrue();
    assertThat(approved.problems())
        .containsExactly(
            "changed records differ from the oracle: users/ann_lee_1234"
                + ".payment_methods.gift_card_1.balance is 200.1, the oracle has 200.2");
    assertThat(dev.denyAll().getFirst().ok()).isTrue();
    assertThat(TauBench.markdown(folder, List.of(dev)))
        .contains("1 runs broke a property:")
        .contains("- dev/0 approve-all: changed records differ from the oracle");
    assertThat(TauBench.run(new String[] {folder.toString()})).isEqualTo(1);
  }

  @Test
  void thePolicyAllowsReadsAsksBeforeWritesAndDeniesEverythingElse() throws IOException {
    TaskRunner runner = new TaskRunner(load(200.1));

    for (Tool<?> tool : runner.tools()) {
      Verdict verdict = decide(runner, tool.facts());
      assertThat(verdict)
          .as(tool.name())
          .isEqualTo(tool.effect() == Effect.WRITE ? Verdict.ASK : Verdict.ALLOW);
    }
    PolicyRequest.ToolFacts unknown =
        new PolicyRequest.ToolFacts("delete_user", Effect.READ, false, List.of(), null, false);
    assertThat(decide(runner, unknown)).isEqualTo(Verdict.DENY);
    assertThat(runner.tools()).filteredOn(t -> t.effect() == Effect.WRITE).hasSize(7);
    assertThat(runner.tools()).filteredOn(t -> t.effect() == Effect.READ).hasSize(9);
  }

  @Test
  void theApproverSeesTheChangeInWords() throws IOException {
    TaskRunner runner = new TaskRunner(load(200.1));
    Tool<?> cancel =
        runner.tools().stream()
            .filter(t -> t.name().equals("cancel_pending_order"))
            .findFirst()
            .orElseThrow();

    assertThat(cancel.preview(new RetailTools.CancelPendingOrder("#W1", "no longer needed"), "{}"))
        .isEqualTo("Cancel order #W1 (no longer needed) and refund its payment");
  }

  private static Verdict decide(TaskRunner runner, PolicyRequest.ToolFacts tool) {
    return runner
        .policy()
        .decide(
            new PolicyRequest(
                TaskRunner.CUSTOMER,
                TaskRunner.WORKFLOW,
                tool,
                RetailFixture.JSON.createObjectNode(),
                PolicyRequest.Evidence.NONE))
        .verdict();
  }

  /**
   * The fixture folder with the task and an oracle that says gift card 1 ends at {@code balance}.
   */
  private RetailData load(double balance) throws IOException {
    ObjectNode order = (ObjectNode) RetailFixture.tables().orders().get("#W1").deepCopy();
    order.put("status", "cancelled");
    ((ArrayNode) order.get("payment_history"))
        .addObject()
        .put("transaction_type", "refund")
        .put("amount", 100.1)
        .put("payment_method_id", "gift_card_1");
    order.put("cancel_reason", "no longer needed");
    ObjectNode user = RetailFixture.tables().users().get(RetailFixture.USER).deepCopy();
    ((ObjectNode) user.path("payment_methods").path("gift_card_1")).put("balance", balance);

    ObjectNode oracle = RetailFixture.JSON.createObjectNode();
    oracle.put("index", 0);
    ArrayNode steps = oracle.putArray("step_outputs");
    steps.addObject().put("name", "cancel_pending_order").put("output", order.toString());
    steps
        .addObject()
        .put("name", "modify_pending_order_items")
        .put("output", "Error: insufficient gift card balance to pay for the new item");
    ObjectNode changes = oracle.putObject("expected_changed_records");
    changes.putObject("orders").set("#W1", order);
    changes.putObject("users").set(RetailFixture.USER, user);

    RetailFixture.writeFolder(folder, TASK, oracle + "\n");
    return RetailData.load(folder, List.of("dev"));
  }
}
