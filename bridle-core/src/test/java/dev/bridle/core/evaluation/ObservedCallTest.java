package dev.bridle.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.evaluation.ObservedCall.Status;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObservedCallTest {

  private final CrmAgents crm = new CrmAgents();

  @Test
  void everyCallCarriesWhatHappenedToIt() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("get_lead", Map.of("leadId", "L1"))
            .thenCall("broken_lookup", Map.of("leadId", "L1"))
            .thenCall("no_such_tool", Map.of())
            .thenCalls(
                new ScriptTurn.Call(
                    "get_lead", com.fasterxml.jackson.databind.node.TextNode.valueOf("{oops")))
            .thenCall("delete_everything_denied", Map.of())
            .thenAnswer("done")
            .build();
    Policy policy = Policy.builder().rule(Rule.allow("get_*")).rule(Rule.allow("broken_*")).build();

    CrmAgents.Run run = CrmAgents.run(crm.agent(policy, model), crm, "look");
    List<ObservedCall> calls = ObservedCall.of(run.events());

    assertThat(calls)
        .extracting(ObservedCall::tool)
        .containsExactly(
            "get_lead", "broken_lookup", "no_such_tool", "get_lead", "delete_everything_denied");
    assertThat(calls.get(0).statuses()).containsExactly(Status.EXECUTED);
    assertThat(calls.get(0).effect()).contains(Effect.READ);
    assertThat(calls.get(0).ran()).isTrue();
    assertThat(calls.get(0).wrote()).isFalse();
    assertThat(calls.get(1).statuses()).containsExactly(Status.FAILED);
    assertThat(calls.get(2).statuses()).containsExactly(Status.INVALID);
    assertThat(calls.get(3).statuses()).containsExactly(Status.INVALID);
    assertThat(calls.get(3).proposedArguments()).isEqualTo("{oops");
    assertThat(calls.get(4).statuses()).containsExactly(Status.INVALID);
  }

  @Test
  void aDeniedCallAndAnEditedApprovalAreTold() {
    Policy policy = Policy.builder().rule(Rule.allow("get_*")).rule(Rule.ask("set_bio")).build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("broken_lookup", Map.of("leadId", "L1"))
            .thenCall("set_bio", Map.of("leadId", "L1", "bio", "draft"))
            .thenAnswer("done")
            .build();
    Agent agent = crm.agent(policy, model);
    RunId id = RunId.random();
    agent.run(id, "update", "bob");
    new Approvals(crm.store, name -> Optional.of(agent), Clock.systemUTC())
        .decide(
            id.value() + "/call_2_1",
            Decision.EDIT,
            "{\"leadId\":\"L1\",\"bio\":\"edited\"}",
            "",
            "alice");
    agent.resume(id);

    List<ObservedCall> calls = ObservedCall.of(crm.events(id));
    assertThat(calls.get(0).statuses()).containsExactly(Status.DENIED);
    ObservedCall edited = calls.get(1);
    assertThat(edited.statuses()).containsExactly(Status.EXECUTED, Status.ASKED);
    assertThat(edited.proposedArguments()).contains("draft");
    assertThat(edited.argumentsTree().path("bio").asText()).isEqualTo("edited");
    assertThat(edited.wrote()).isTrue();
    assertThat(crm.bios).containsEntry("L1", "edited");
  }

  @Test
  void aRejectedApprovalIsRejected() {
    Policy policy = Policy.builder().rule(Rule.ask("set_bio")).build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("set_bio", Map.of("leadId", "L1", "bio", "x"))
            .thenAnswer("not done")
            .build();
    Agent agent = crm.agent(policy, model);
    RunId id = RunId.random();
    agent.run(id, "update", "bob");
    new Approvals(crm.store, name -> Optional.of(agent), Clock.systemUTC())
        .decide(id.value() + "/call_1_1", Decision.REJECT, null, "no", "alice");
    agent.resume(id);

    ObservedCall call = ObservedCall.of(crm.events(id)).getFirst();
    assertThat(call.statuses()).containsExactly(Status.ASKED, Status.REJECTED);
    assertThat(call.ran()).isFalse();
  }

  @Test
  void anEditRefusedWhenTheCallWasToRunIsDeniedAndEditRefused() {
    java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
    List<RunEvent> events =
        List.of(
            new RunEvent.ToolCallProposed(at, 1, "c1", "set_bio", "{\"bio\":\"x\"}"),
            new RunEvent.ApprovalRequested(
                at,
                "r/c1",
                "c1",
                "set_bio",
                Effect.WRITE,
                "{\"bio\":\"x\"}",
                "h",
                "p1",
                "ask",
                "bob",
                "",
                null,
                Decision.REJECT,
                false),
            new RunEvent.ApprovalDecided(
                at, "r/c1", "c1", Decision.EDIT, "{\"bio\":\"y\"}", "h2", "p1", "alice", ""),
            new RunEvent.ToolCallRejected(
                at, "c1", "set_bio", RunEvent.Rejection.EDIT_REFUSED, "bio: no longer valid"));

    ObservedCall call = ObservedCall.of(events).getFirst();

    assertThat(call.statuses()).containsExactly(Status.DENIED, Status.ASKED, Status.EDIT_REFUSED);
    assertThat(call.argumentsTree().path("bio").asText()).isEqualTo("y");
    assertThat(call.ran()).isFalse();
  }

  @Test
  void withStatusAddsWhatTheJournalDoesNotTell() {
    Policy policy = Policy.builder().rule(Rule.ask("set_bio")).build();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .thenCall("set_bio", Map.of("leadId", "L1", "bio", "x"))
            .thenAnswer("done")
            .build();
    Agent agent = crm.agent(policy, model);
    RunId id = RunId.random();
    agent.run(id, "update", "bob");
    ObservedCall asked = ObservedCall.of(crm.events(id)).getFirst();

    ObservedCall refused = asked.withStatus(Status.EDIT_REFUSED);

    assertThat(refused.statuses()).containsExactly(Status.ASKED, Status.EDIT_REFUSED);
    assertThat(asked.statuses()).containsExactly(Status.ASKED);
    assertThat(refused).usingRecursiveComparison().ignoringFields("statuses").isEqualTo(asked);
  }

  @Test
  void statusesHaveTheNamesSuitesUse() {
    assertThat(Status.EDIT_REFUSED.key()).isEqualTo("edit-refused");
    assertThat(Status.RATE_LIMITED.key()).isEqualTo("rate-limited");
    assertThat(Status.fromKey("executed")).contains(Status.EXECUTED);
    assertThat(Status.fromKey("ran")).isEmpty();
  }
}
