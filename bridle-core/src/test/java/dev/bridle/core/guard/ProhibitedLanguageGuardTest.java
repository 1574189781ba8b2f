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
  void aTermListIsRequired() {
    assertThatThrownBy(() -> ProhibitedLanguageGuard.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'prohibited-language': terms must not be empty");
    assertThatThrownBy(() -> ProhibitedLanguageGuard.builder().terms(List.of(" ")).build())
        .hasMessage("guard 'prohibited-language': terms must not contain a blank term");
  }
}
