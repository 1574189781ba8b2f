package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InputScopeGuardTest {

  private static GuardSubject task(String text) {
    return GuardSubject.input("billing", text);
  }

  private final InputScopeGuard guard =
      InputScopeGuard.builder()
          .keywords(List.of("invoice", "refund", "credit note"))
          .patterns(List.of("order\\s*#?\\d{5,}"))
          .build();

  @Test
  void aTaskWithAScopeKeywordPassesInAnyCase() {
    assertThat(guard.check(task("Please send me the INVOICE for March")))
        .isEqualTo(GuardResult.pass());
    assertThat(guard.check(task("I need a credit\n note"))).isEqualTo(GuardResult.pass());
  }

  @Test
  void keywordsMatchWholeWordsOnly() {
    assertThat(guard.check(task("the invoiced amount is wrong")))
        .isInstanceOf(GuardResult.Block.class);
  }

  @Test
  void aTaskMatchingAScopePatternPasses() {
    assertThat(guard.check(task("Where is Order #123456?"))).isEqualTo(GuardResult.pass());
  }

  @Test
  void anOutOfScopeTaskIsBlockedWithAReasonNamingTheWorkflowAndKeywords() {
    GuardResult result = guard.check(task("Write me a poem about the sea"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block(
                "the task is outside the scope of workflow 'billing': it mentions none of its"
                    + " keywords (invoice, refund, credit note) and matches none of its patterns"));
  }

  @Test
  void theClassifierDecidesOnlyWhatKeywordsAndPatternsDoNotSettle() {
    AtomicInteger calls = new AtomicInteger();
    InputScopeGuard withClassifier =
        InputScopeGuard.builder()
            .keywords(List.of("invoice"))
            .classifier(
                t -> {
                  calls.incrementAndGet();
                  return t.contains("charged twice");
                })
            .action(GuardAction.ESCALATE)
            .build();

    assertThat(withClassifier.check(task("invoice please"))).isEqualTo(GuardResult.pass());
    assertThat(calls).hasValue(0);
    assertThat(withClassifier.check(task("I was charged twice"))).isEqualTo(GuardResult.pass());
    GuardResult rejected = withClassifier.check(task("tell me a joke"));
    assertThat(rejected).isInstanceOf(GuardResult.Escalate.class);
    assertThat(((GuardResult.Escalate) rejected).reason())
        .endsWith("mentions none of its keywords (invoice) and the scope classifier rejected it");
    assertThat(calls).hasValue(2);
  }

  @Test
  void itNeedsSomethingToDecideWith() {
    assertThatThrownBy(() -> InputScopeGuard.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'input-scope' needs at least one of keywords, patterns or a classifier");
  }

  @Test
  void anInvalidPatternIsAConfigurationErrorNamingIt() {
    assertThatThrownBy(() -> InputScopeGuard.builder().patterns(List.of("order(")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "guard 'input-scope': pattern 'order(' is not a valid regular expression");
  }

  @Test
  void reaskIsNotAnOptionForTheTask() {
    assertThatThrownBy(() -> InputScopeGuard.builder().action(GuardAction.REASK))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guard 'input-scope' does not support action 'reask'; use one of escalate, block");
  }

  @Test
  void aCatastrophicPatternIsStoppedInsteadOfStallingTheRun() {
    InputScopeGuard slow = InputScopeGuard.builder().patterns(List.of("(a+)+$")).build();
    String hostile = "a".repeat(5_000) + "!";

    assertThatThrownBy(() -> slow.check(task(hostile)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("took too long");
  }
}
