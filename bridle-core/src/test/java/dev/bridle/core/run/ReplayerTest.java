package dev.bridle.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replaying a recorded run with today's configuration, executing nothing. */
class ReplayerTest {

  record Bio(String leadId, String bio) {}

  record Email(String to) {}

  private final InMemoryRunStore store = new InMemoryRunStore();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger mails = new AtomicInteger();
  private final RunId runId = RunId.of("run-recorded");

  private final ScriptedChatModel model =
      ScriptedChatModel.builder()
          .thenCall("set_bio", Map.of("leadId", "L1", "bio", "new"))
          .thenCall("send_email", Map.of("to", "ann@client.example"))
          .thenAnswer("done")
          .build();

  private Agent agent(Policy policy) {
    return Agent.builder()
        .name("crm")
        .model(model)
        .tools(
            List.of(
                Tool.builder("set_bio", Bio.class)
                    .description("Set a bio")
                    .effect(Effect.WRITE)
                    .handler((a, ctx) -> "bio " + writes.incrementAndGet())
                    .build(),
                Tool.builder("send_email", Email.class)
                    .description("Send an e-mail")
                    .effect(Effect.EXTERNAL)
                    .handler((a, ctx) -> "mail " + mails.incrementAndGet())
                    .build()))
        .policy(policy)
        .journal(store)
        .build();
  }

  private static Policy autonomous() {
    return Policy.builder()
        .version("1")
        .mode(Mode.AUTONOMOUS)
        .maxUnapprovedEffect(Effect.EXTERNAL)
        .rule(Rule.allow("*"))
        .build();
  }

  @Test
  void anUnchangedAgentReplaysIdenticallyAndTouchesNothing() {
    agent(autonomous()).run(runId, "update L1 and tell ann", "bob");
    assertThat(writes).hasValue(1);

    Replayer.Report report =
        new Replayer(store, Clock.systemUTC()).replay(agent(autonomous()), runId);

    assertThat(report.differences()).isEmpty();
    assertThat(report.replayedOutcome()).isEqualTo("completed: done");
    assertThat(writes).hasValue(1);
    assertThat(mails).hasValue(1);
  }

  @Test
  void aChangedPolicyShowsEveryDecisionThatNowDiffers() {
    agent(autonomous()).run(runId, "update L1 and tell ann", "bob");
    Policy stricter =
        Policy.builder()
            .version("2")
            .mode(Mode.AUTONOMOUS)
            .maxUnapprovedEffect(Effect.EXTERNAL)
            .rule(Rule.deny("send_email").withId("no-mail"))
            .rule(Rule.allow("*"))
            .build();

    Replayer.Report report = new Replayer(store, Clock.systemUTC()).replay(agent(stricter), runId);

    assertThat(report.differences())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.where()).isEqualTo("call call_2_1 (send_email)");
              assertThat(d.recorded())
                  .isEqualTo(
                      "policy ALLOW (rules[1])"
                          .replace(
                              "rules[1]", d.recorded().substring(14, d.recorded().length() - 1)));
              assertThat(d.now()).isEqualTo("policy DENY (no-mail); rejected POLICY_DENIED");
            });
    assertThat(mails).hasValue(1);
  }

  @Test
  void recordedHumanDecisionsAreReplayed() {
    Policy propose = Policy.builder().version("1").mode(Mode.PROPOSE).rule(Rule.allow("*")).build();
    Agent recordedAgent = agent(propose);
    recordedAgent.run(runId, "update L1 and tell ann", "bob");
    Approvals approvals = new Approvals(store, w -> Optional.of(recordedAgent), Clock.systemUTC());
    approvals.decide("run-recorded/call_1_1", RunEvent.Decision.APPROVE, null, "", "alice");
    recordedAgent.resume(runId);
    approvals.decide("run-recorded/call_2_1", RunEvent.Decision.REJECT, null, "no", "alice");
    assertThat(recordedAgent.resume(runId).outcome()).isEqualTo(new RunOutcome.Completed("done"));

    Replayer.Report same = new Replayer(store, Clock.systemUTC()).replay(agent(propose), runId);
    assertThat(same.differences()).isEmpty();

    assertThat(writes).hasValue(1);
    assertThat(mails).hasValue(0);
  }

  @Test
  void aCallThatNowNeedsAHumanWhereNoneDecidedIsReportedAndTheReplayStopsThere() {
    agent(autonomous()).run(runId, "update L1 and tell ann", "bob");
    Policy asks =
        Policy.builder()
            .version("3")
            .mode(Mode.AUTONOMOUS)
            .maxUnapprovedEffect(Effect.EXTERNAL)
            .rule(Rule.ask("set_bio").withId("bio-asks"))
            .rule(Rule.allow("*"))
            .build();

    Replayer.Report report = new Replayer(store, Clock.systemUTC()).replay(agent(asks), runId);

    assertThat(report.differences())
        .extracting(Replayer.Difference::where, Replayer.Difference::now)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "call call_1_1 (set_bio)",
                "waits for a human: bio-asks: rule bio-asks asks a human before set_bio"),
            org.assertj.core.groups.Tuple.tuple("outcome", "suspended"));
    assertThat(writes).hasValue(1);
  }
}
