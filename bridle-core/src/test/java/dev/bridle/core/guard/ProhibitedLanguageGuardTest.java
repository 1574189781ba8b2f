package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProhibitedLanguageGuardTest {

  private final ProhibitedLanguageGuard guard =
      ProhibitedLanguageGuard.builder().terms(List.of("guarantee", "legal action", "damn")).build();

  @Test
  void anAnswerWithProhibitedTermsIsReaskedWithTheTermsUsed() {
    GuardResult result =
        guard.check(
            GuardSubject.finalAnswer(
                "support", "We GUARANTEE delivery tomorrow, or we take Legal  Action."));

    assertThat(result)
        .isEqualTo(
            GuardResult.reask(
                "Your answer uses language this workflow prohibits: \"guarantee\", \"legal"
                    + " action\". Write it again without these terms or their close variants."));
  }

  @Test
  void termsMatchWholeWordsOnly() {
    assertThat(guard.check(GuardSubject.finalAnswer("support", "The guaranteed amount is damned")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void aCleanAnswerPasses() {
    assertThat(guard.check(GuardSubject.finalAnswer("support", "Your parcel ships tomorrow.")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void byDefaultItChecksModelOutputAndCanBlockInstead() {
    ProhibitedLanguageGuard blocking =
        ProhibitedLanguageGuard.builder().terms(List.of("damn")).action(GuardAction.BLOCK).build();

    assertThat(guard.stages()).containsExactly(GuardStage.MODEL_OUTPUT);
    assertThat(blocking.check(GuardSubject.modelOutput("support", "damn it")))
        .isEqualTo(GuardResult.block("the model's text uses prohibited language: \"damn\""));
  }

  @Test
  void aTermRightAfterALineBreakInAnArgumentIsFound() {
    ProhibitedLanguageGuard onArguments =
        ProhibitedLanguageGuard.builder()
            .terms(List.of("we will refund"))
            .stages(List.of(GuardStage.TOOL_ARGUMENTS))
            .action(GuardAction.ESCALATE)
            .build();

    GuardResult result =
        onArguments.check(
            GuardSubject.toolArguments(
                "support",
                "draft_reply",
                "{\"body\":\"Hello,\\n\\nWe will refund the duplicate charge today.\","
                    + "\"subject\":\"Re: charged twice\"}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.escalate(
                "argument 'body' of tool 'draft_reply' uses prohibited language: \"we will"
                    + " refund\""));
  }

  @Test
  void severalArgumentsOrArgumentsThatAreNotJsonUseTheTerms() {
    ProhibitedLanguageGuard onArguments =
        ProhibitedLanguageGuard.builder()
            .terms(List.of("guarantee"))
            .stages(List.of(GuardStage.TOOL_ARGUMENTS))
            .action(GuardAction.BLOCK)
            .build();

    assertThat(
            onArguments.check(
                GuardSubject.toolArguments(
                    "support",
                    "draft_reply",
                    "{\"body\":\"We guarantee it.\",\"subject\":\"Guarantee\"}")))
        .isEqualTo(
            GuardResult.block(
                "arguments 'body', 'subject' of tool 'draft_reply' use prohibited language:"
                    + " \"guarantee\""));
    assertThat(
            onArguments.check(
                GuardSubject.toolArguments("support", "draft_reply", "we guarantee it")))
        .isEqualTo(
            GuardResult.block(
                "the arguments of tool 'draft_reply' use prohibited language: \"guarantee\""));
  }

  @Test
  void aTermListIsRequired() {
    assertThatThrownBy(() -> ProhibitedLanguageGuard.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'prohibited-language': terms must not be empty");
    assertThatThrownBy(() -> ProhibitedLanguageGuard.builder().terms(List.of(" ")).build())
        .hasMessage("guard 'prohibited-language': terms must not contain a blank term");
  }
}
