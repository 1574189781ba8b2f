package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GuardChainTest {

  /** A small real guard: answers with {@code decide}, and records the text it saw. */
  private static final class ScriptedGuard implements Guard {
    private final String name;
    private final Set<GuardStage> stages;
    private final Function<String, GuardResult> decide;
    final List<String> seen = new ArrayList<>();

    ScriptedGuard(String name, Set<GuardStage> stages, Function<String, GuardResult> decide) {
      this.name = name;
      this.stages = stages;
      this.decide = decide;
    }

    ScriptedGuard(String name, Function<String, GuardResult> decide) {
      this(name, Set.of(GuardStage.values()), decide);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<GuardStage> stages() {
      return stages;
    }

    @Override
    public GuardResult check(GuardSubject subject) {
      seen.add(subject.text());
      return decide.apply(subject.text());
    }
  }

  private static final GuardSubject ANSWER = GuardSubject.finalAnswer("triage", "call 555 now");

  @Test
  void aChainWithoutGuardsProceedsUnchanged() {
    ChainResult result = GuardChain.none().check(ANSWER);

    assertThat(result.proceeds()).isTrue();
    assertThat(result.clean()).isTrue();
    assertThat(result.text()).isEqualTo("call 555 now");
    assertThat(GuardChain.none().covers(GuardStage.INPUT)).isFalse();
  }

  @Test
  void aRedactionFeedsTheRedactedTextToTheNextGuardAndIsRecordedAsATrip() {
    ScriptedGuard redactor =
        new ScriptedGuard("mask", t -> GuardResult.redact(t.replace("555", "[X]"), "1 PHONE"));
    ScriptedGuard after = new ScriptedGuard("after", t -> GuardResult.pass());
    GuardChain chain = GuardChain.builder().add(redactor).add(after).build();

    ChainResult result = chain.check(ANSWER);

    assertThat(after.seen).containsExactly("call [X] now");
    assertThat(result.text()).isEqualTo("call [X] now");
    assertThat(result.proceeds()).isTrue();
    assertThat(result.trips())
        .containsExactly(
            new GuardTrip(
                "mask",
                GuardStage.MODEL_OUTPUT,
                java.util.Optional.empty(),
                GuardTrip.Kind.REDACT,
                "1 PHONE"));
  }

  @Test
  void aFlagIsRecordedAndTheChainGoesOn() {
    ScriptedGuard flagger = new ScriptedGuard("suspicious", t -> GuardResult.flag("looks odd"));
    ScriptedGuard after = new ScriptedGuard("after", t -> GuardResult.pass());

    ChainResult result = GuardChain.builder().add(flagger).add(after).build().check(ANSWER);

    assertThat(result.proceeds()).isTrue();
    assertThat(after.seen).hasSize(1);
    assertThat(result.trips()).extracting(GuardTrip::kind).containsExactly(GuardTrip.Kind.FLAG);
  }

  @Test
  void theFirstBlockStopsTheChainAndKeepsEarlierRedactions() {
    ScriptedGuard redactor =
        new ScriptedGuard("mask", t -> GuardResult.redact(t.replace("555", "[X]"), "1 PHONE"));
    ScriptedGuard blocker = new ScriptedGuard("stop", t -> GuardResult.block("not allowed"));
    ScriptedGuard never = new ScriptedGuard("never", t -> GuardResult.pass());

    ChainResult result =
        GuardChain.builder().add(redactor).add(blocker).add(never).build().check(ANSWER);

    assertThat(never.seen).isEmpty();
    assertThat(result.proceeds()).isFalse();
    assertThat(result.outcome()).isEqualTo(new ChainResult.Outcome.Blocked("stop", "not allowed"));
    assertThat(result.text()).isEqualTo("call [X] now");
    assertThat(result.trips())
        .extracting(GuardTrip::guard, GuardTrip::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mask", GuardTrip.Kind.REDACT),
            org.assertj.core.groups.Tuple.tuple("stop", GuardTrip.Kind.BLOCK));
  }

  @Test
  void escalateAndReaskAlsoStopTheChain() {
    ScriptedGuard never = new ScriptedGuard("never", t -> GuardResult.pass());
    GuardChain escalating =
        GuardChain.builder()
            .add(new ScriptedGuard("human", t -> GuardResult.escalate("ask a person")))
            .add(never)
            .build();
    GuardChain reasking =
        GuardChain.builder()
            .add(new ScriptedGuard("retry", t -> GuardResult.reask("shorter, please")))
            .add(never)
            .build();

    assertThat(escalating.check(ANSWER).outcome())
        .isEqualTo(new ChainResult.Outcome.Escalated("human", "ask a person"));
    assertThat(reasking.check(ANSWER).outcome())
        .isEqualTo(new ChainResult.Outcome.Reasked("retry", "shorter, please"));
    assertThat(reasking.check(ANSWER).trips())
        .extracting(GuardTrip::kind)
        .containsExactly(GuardTrip.Kind.REASK);
    assertThat(never.seen).isEmpty();
  }

  @Test
  void onlyTheGuardsOfTheSubjectsStageRun() {
    ScriptedGuard inputOnly =
        new ScriptedGuard("input-only", Set.of(GuardStage.INPUT), t -> GuardResult.block("no"));
    GuardChain chain = GuardChain.builder().add(inputOnly).build();

    assertThat(chain.check(ANSWER).proceeds()).isTrue();
    assertThat(inputOnly.seen).isEmpty();
    assertThat(chain.covers(GuardStage.INPUT)).isTrue();
    assertThat(chain.covers(GuardStage.TOOL_RESULT)).isFalse();
    assertThat(chain.check(GuardSubject.input("triage", "hello")).proceeds()).isFalse();
  }

  @Test
  void aReaskOnTheTaskBlocksBecauseThereIsNoModelToAskYet() {
    GuardChain chain =
        GuardChain.builder()
            .add(new ScriptedGuard("retry", t -> GuardResult.reask("rephrase")))
            .build();

    ChainResult result = chain.check(GuardSubject.input("triage", "hello"));

    assertThat(result.outcome()).isEqualTo(new ChainResult.Outcome.Blocked("retry", "rephrase"));
    assertThat(result.trips()).extracting(GuardTrip::kind).containsExactly(GuardTrip.Kind.BLOCK);
  }

  @Test
  void aGuardThatThrowsBlocksAndTheReasonIsRedacted() {
    GuardChain chain =
        GuardChain.builder()
            .add(
                new ScriptedGuard(
                    "lookup",
                    t -> {
                      throw new IllegalStateException("db down for jane.doe@example.com");
                    }))
            .build();

    ChainResult result = chain.check(GuardSubject.toolArguments("triage", "get_ticket", "{}"));

    assertThat(result.outcome()).isInstanceOf(ChainResult.Outcome.Blocked.class);
    String reason = ((ChainResult.Outcome.Blocked) result.outcome()).reason();
    assertThat(reason)
        .contains("guard 'lookup' failed on the arguments of tool 'get_ticket'")
        .contains("fails closed")
        .contains("IllegalStateException: db down for [REDACTED:EMAIL]")
        .doesNotContain("jane.doe");
    assertThat(result.trips().get(0).toolName()).contains("get_ticket");
  }

  @Test
  void aGuardThatReturnsNothingBlocks() {
    GuardChain chain = GuardChain.builder().add(new ScriptedGuard("broken", t -> null)).build();

    assertThat(chain.check(ANSWER).outcome())
        .isEqualTo(
            new ChainResult.Outcome.Blocked(
                "broken", "guard 'broken' returned no result and fails closed"));
  }

  @Test
  void maxReasksDefaultsToTwoAndIsBounded() {
    assertThat(GuardChain.builder().build().maxReasks()).isEqualTo(2);
    assertThat(GuardChain.builder().maxReasks(0).build().maxReasks()).isZero();
    assertThatThrownBy(() -> GuardChain.builder().maxReasks(11).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-reasks must be between 0 and 10, but was 11");
  }

  @Test
  void guardNamesMustBeUniqueInAChain() {
    assertThatThrownBy(
            () ->
                GuardChain.builder()
                    .add(new ScriptedGuard("twin", t -> GuardResult.pass()))
                    .add(new ScriptedGuard("twin", t -> GuardResult.pass()))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("two guards are named 'twin'");
  }

  @Test
  void subjectsCheckTheirStageAndToolName() {
    assertThatThrownBy(
            () ->
                new GuardSubject(
                    "triage",
                    GuardStage.TOOL_RESULT,
                    "x",
                    java.util.Optional.empty(),
                    false,
                    false))
        .hasMessageContaining("needs a tool name");
    assertThatThrownBy(
            () ->
                new GuardSubject(
                    "triage", GuardStage.INPUT, "x", java.util.Optional.empty(), false, true))
        .hasMessageContaining("only a model-output subject can be a final answer");
    assertThat(GuardSubject.input("triage", "x").asUntrusted().untrusted()).isTrue();
  }

  @Test
  void resultsRequireAReason() {
    assertThatThrownBy(() -> GuardResult.block(" ")).hasMessage("reason must not be blank");
    assertThatThrownBy(() -> GuardResult.reask("")).hasMessage("feedback must not be blank");
  }
}
