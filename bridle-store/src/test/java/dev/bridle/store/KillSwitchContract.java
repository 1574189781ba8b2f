package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.KillSwitch.Kill;
import dev.bridle.core.control.KillSwitch.Scope;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KillSwitch} must do: switches per scope, what each covers, turning one on
 * twice, turning off one that is off, and targets. Core's in-memory kill switch is the reference;
 * the durable ones add their log in {@link KillSwitchStoreContract}.
 */
abstract class KillSwitchContract {

  static final String REFUNDS = "refunds";
  static final String REFUNDS_AGENT = "agent:refunds@4";

  protected final ManualClock clock = new ManualClock(at(0));
  protected KillSwitch switches;

  /** New kill switches, all off, timed by {@code clock}. */
  protected abstract KillSwitch open(Clock clock) throws Exception;

  /** Releases what {@link #open} took. */
  protected void close(KillSwitch switches) {}

  @BeforeEach
  void openTheSwitches() throws Exception {
    switches = open(clock);
  }

  @AfterEach
  void closeTheSwitches() {
    close(switches);
  }

  @Test
  void noSwitchIsOnAtFirst() {
    assertThat(switches.active()).isEmpty();
    assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).isEmpty();
  }

  @Test
  void theGlobalSwitchStopsEveryAgentOfEveryWorkflow() {
    clock.set(at(5));
    switches.kill(Scope.GLOBAL, null, "ops:lee", "INC-2291: runaway refunds");

    Kill global = new Kill(Scope.GLOBAL, "*", "ops:lee", "INC-2291: runaway refunds", at(5));
    assertThat(switches.active()).containsExactly(global);
    assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).contains(global);
    assertThat(switches.check("triage", "agent:triage@1")).contains(global);
    assertThat(global.describe())
        .isEqualTo("the global kill switch is on (by ops:lee: INC-2291: runaway refunds)");

    assertThat(switches.revive(Scope.GLOBAL, null, "ops:lee")).isTrue();
    assertThat(switches.active()).isEmpty();
    assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).isEmpty();
  }

  @Test
  void theGlobalSwitchIsOneWhateverTargetIsGiven() {
    switches.kill(Scope.GLOBAL, "anything", "ops:lee", "");

    assertThat(switches.active()).extracting(Kill::target).containsExactly("*");
    assertThat(switches.revive(Scope.GLOBAL, "*", "ops:lee")).isTrue();
    assertThat(switches.active()).isEmpty();
  }

  @Test
  void aWorkflowSwitchStopsEveryAgentOfThatWorkflowOnly() {
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop");

    Kill kill = switches.active().getFirst();
    assertThat(kill).isEqualTo(new Kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop", at(0)));
    assertThat(kill.covers(REFUNDS, REFUNDS_AGENT)).isTrue();
    assertThat(kill.covers(REFUNDS, "agent:refunds@5")).isTrue();
    assertThat(kill.covers("triage", "agent:triage@1")).isFalse();
    assertThat(kill.covers("refunds-eu", "agent:refunds-eu@1")).isFalse();
    assertThat(switches.check(REFUNDS, "agent:refunds@5")).contains(kill);
    assertThat(switches.check("triage", "agent:triage@1")).isEmpty();
  }

  @Test
  void anAgentSwitchStopsThatAgentVersionOnly() {
    switches.kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "bad prompt in v4");

    Kill kill = switches.active().getFirst();
    assertThat(kill.covers(REFUNDS, REFUNDS_AGENT)).isTrue();
    assertThat(kill.covers(REFUNDS, "agent:refunds@5")).isFalse();
    assertThat(kill.covers("triage", "agent:triage@1")).isFalse();
    assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).contains(kill);
    assertThat(switches.check(REFUNDS, "agent:refunds@5")).isEmpty();
    assertThat(kill.describe())
        .isEqualTo("the kill switch of agent:refunds@4 is on (by ops:lee: bad prompt in v4)");
  }

  @Test
  void switchesOfDifferentScopesAndTargetsAreIndependent() {
    clock.set(at(1));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "workflow");
    clock.set(at(2));
    switches.kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "agent");
    clock.set(at(3));
    switches.kill(Scope.WORKFLOW, "triage", "ops:dana", "other workflow");
    // a workflow and an agent may share a name; they are two switches
    clock.set(at(4));
    switches.kill(Scope.AGENT, REFUNDS, "ops:dana", "same name, other scope");

    assertThat(switches.active()).hasSize(4);
    assertThat(switches.revive(Scope.WORKFLOW, REFUNDS, "ops:lee")).isTrue();

    assertThat(switches.active())
        .containsExactlyInAnyOrder(
            new Kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "agent", at(2)),
            new Kill(Scope.WORKFLOW, "triage", "ops:dana", "other workflow", at(3)),
            new Kill(Scope.AGENT, REFUNDS, "ops:dana", "same name, other scope", at(4)));
    assertThat(switches.check(REFUNDS, REFUNDS_AGENT)).map(Kill::reason).contains("agent");
    assertThat(switches.check(REFUNDS, "agent:refunds@5")).isEmpty();
    assertThat(switches.check("triage", "agent:triage@1")).map(Kill::by).contains("ops:dana");
  }

  @Test
  void turningOnASwitchThatIsOnReplacesWhoAndWhy() {
    clock.set(at(1));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", "refund loop");
    clock.set(at(2));
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:dana", "still looping, INC-2291");

    assertThat(switches.active())
        .containsExactly(
            new Kill(Scope.WORKFLOW, REFUNDS, "ops:dana", "still looping, INC-2291", at(2)));
    assertThat(switches.revive(Scope.WORKFLOW, REFUNDS, "ops:dana")).isTrue();
    assertThat(switches.active()).as("one revive turns it off").isEmpty();
  }

  @Test
  void turningOffASwitchThatIsOffSaysSoAndChangesNothing() {
    assertThat(switches.revive(Scope.WORKFLOW, REFUNDS, "ops:lee")).isFalse();
    assertThat(switches.revive(Scope.GLOBAL, null, "ops:lee")).isFalse();

    switches.kill(Scope.AGENT, REFUNDS_AGENT, "ops:lee", "");
    assertThat(switches.revive(Scope.WORKFLOW, REFUNDS_AGENT, "ops:lee"))
        .as("same target, other scope")
        .isFalse();
    assertThat(switches.revive(Scope.AGENT, REFUNDS_AGENT, "ops:lee")).isTrue();
    assertThat(switches.revive(Scope.AGENT, REFUNDS_AGENT, "ops:lee")).isFalse();
    assertThat(switches.active()).isEmpty();
  }

  @Test
  void workflowAndAgentSwitchesNeedATarget() {
    assertThatThrownBy(() -> switches.kill(Scope.WORKFLOW, null, "ops:lee", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WORKFLOW kill switch needs a target");
    assertThatThrownBy(() -> switches.kill(Scope.AGENT, " ", "ops:lee", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AGENT kill switch needs a target");
    assertThatThrownBy(() -> switches.revive(Scope.WORKFLOW, "", "ops:lee"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WORKFLOW kill switch needs a target");

    assertThat(switches.active()).isEmpty();
  }

  @Test
  void aKillWithoutAReasonHasAnEmptyOne() {
    switches.kill(Scope.WORKFLOW, REFUNDS, "ops:lee", null);

    Kill kill = switches.active().getFirst();
    assertThat(kill.reason()).isEmpty();
    assertThat(kill.describe()).isEqualTo("the kill switch of workflow refunds is on (by ops:lee)");
  }

  @Test
  void aKillSaysWhoDidIt() {
    assertThatThrownBy(() -> switches.kill(Scope.WORKFLOW, REFUNDS, null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("by");
    assertThat(switches.active()).isEmpty();
  }

  @Test
  void textIsKeptAsGiven() {
    String reason = "Rückerstattungen laufen Amok — 日本の顧客 🚨, \"quoted\"; DROP TABLE runs;--";
    switches.kill(Scope.WORKFLOW, "rückerstattung-ü", "ops:zoë", reason);

    assertThat(switches.check("rückerstattung-ü", "agent:rückerstattung-ü@1"))
        .map(Kill::reason)
        .contains(reason);
    assertThat(switches.active().getFirst().by()).isEqualTo("ops:zoë");
  }
}
