package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class SizeLimitGuardTest {

  private final SizeLimitGuard guard =
      SizeLimitGuard.builder()
          .limit(GuardStage.INPUT, 20)
          .limit(GuardStage.MODEL_OUTPUT, 10)
          .limit(GuardStage.TOOL_RESULT, 200)
          .build();

  @Test
  void itLooksOnlyAtTheStagesWithALimit() {
    assertThat(guard.stages())
        .containsExactlyInAnyOrder(
            GuardStage.INPUT, GuardStage.MODEL_OUTPUT, GuardStage.TOOL_RESULT);
  }

  @Test
  void textAtTheLimitPasses() {
    assertThat(guard.check(GuardSubject.input("w", "x".repeat(20)))).isEqualTo(GuardResult.pass());
  }

  @Test
  void charactersAreCodePointsSoEmojiCountOnce() {
    assertThat(guard.check(GuardSubject.input("w", "😀".repeat(20)))).isEqualTo(GuardResult.pass());
  }

  @Test
  void anOversizedTaskIsBlocked() {
    assertThat(guard.check(GuardSubject.input("w", "x".repeat(21))))
        .isEqualTo(GuardResult.block("the task is 21 characters long; the limit is 20"));
  }

  @Test
  void anOverlongAnswerIsReaskedWithTheLengthAndTheLimit() {
    assertThat(guard.check(GuardSubject.finalAnswer("w", "x".repeat(12_345))))
        .isEqualTo(
            GuardResult.reask(
                "The answer is 12,345 characters long; the limit is 10. Make it shorter and try"
                    + " again."));
  }

  @Test
  void anOversizedToolResultIsTruncatedToTheLimitWithANote() {
    String result = "y".repeat(1_000);

    GuardResult checked = guard.check(GuardSubject.toolResult("w", "fetch", result, true));

    assertThat(checked).isInstanceOf(GuardResult.Redact.class);
    GuardResult.Redact redacted = (GuardResult.Redact) checked;
    assertThat(redacted.text())
        .hasSizeLessThanOrEqualTo(200)
        .startsWith("y".repeat(136))
        .endsWith("\n[truncated: the first 136 of 1,000 characters]");
    assertThat(redacted.findings())
        .isEqualTo(
            "the result of tool 'fetch' is 1,000 characters long; the limit is 200, truncated to"
                + " the limit");
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    GuardResult checked =
        guard.check(GuardSubject.toolResult("w", "fetch", "😀".repeat(500), false));

    String text = ((GuardResult.Redact) checked).text();
    assertThat(text).startsWith("😀".repeat(136) + "\n[truncated");
  }

  @Test
  void actionsAreCheckedPerStage() {
    assertThatThrownBy(
            () -> SizeLimitGuard.builder().limit(GuardStage.INPUT, 10, GuardAction.REASK))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guard 'size-limit' does not support action 'reask'; use one of flag, escalate, block");
    assertThatThrownBy(
            () -> SizeLimitGuard.builder().limit(GuardStage.TOOL_RESULT, 50, GuardAction.TRUNCATE))
        .hasMessage(
            "guard 'size-limit': the tool-result limit must be at least 100 to truncate, but was 50");
    assertThatThrownBy(() -> SizeLimitGuard.builder().limit(GuardStage.INPUT, 0))
        .hasMessage("guard 'size-limit': the input limit must be at least 1 character, but was 0");
    assertThatThrownBy(() -> SizeLimitGuard.builder().build())
        .hasMessage("guard 'size-limit' needs a limit for at least one stage");
  }
}
