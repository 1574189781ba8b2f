package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlocklistGuardTest {

  private final BlocklistGuard guard =
      BlocklistGuard.builder()
          .domains(List.of("rival.example", "*.paste.example", "bücher.example"))
          .terms(List.of("wire transfer", "gift card"))
          .build();

  private static GuardSubject args(String json) {
    return GuardSubject.toolArguments("sales", "send_email", json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"to\":\"ceo@rival.example\"}",
        "{\"to\":\"ceo@mail.RIVAL.example\"}",
        "{\"url\":\"https://eu.paste.example/raw/123\"}",
        "{\"link\":\"https%3A%2F%2Frival.example%2Fx\"}",
        "{\"host\":\"rival.example.\"}",
        "{\"to\":\"info@xn--bcher-kva.example\"}",
        "{\"to\":\"info@bücher.example\"}",
        "{\"to\":\"ceo@rival\u200B.example\"}"
      })
  void blockedDomainsAndTheirSubdomainsAreFoundInEveryForm(String json) {
    GuardResult result = guard.check(args(json));

    assertThat(result).isInstanceOf(GuardResult.Block.class);
    assertThat(((GuardResult.Block) result).reason())
        .startsWith("blocked domain '")
        .containsPattern("' in argument '(to|url|link|host)' of tool 'send_email'$");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"to\":\"ceo@notrival.example\"}",
        "{\"to\":\"ceo@rival.example.org\"}",
        "{\"to\":\"ceo@partner.example\",\"note\":\"paste.example.org\"}",
        "{\"version\":\"1.2.3\"}"
      })
  void lookAlikeDomainsPass(String json) {
    assertThat(guard.check(args(json))).isEqualTo(GuardResult.pass());
  }

  @Test
  void termsMatchWholeWordsInAnyCaseAcrossWhiteSpace() {
    GuardResult result =
        guard.check(
            GuardSubject.input("sales", "Please do a WIRE\n  Transfer and buy a gift card"));

    assertThat(result)
        .isEqualTo(GuardResult.block("blocked term 'wire transfer', term 'gift card' in the task"));
    assertThat(guard.check(GuardSubject.input("sales", "wire transfers are fine")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void fullWidthAndZeroWidthTricksDoNotHideATerm() {
    assertThat(guard.check(GuardSubject.input("sales", "ｇｉｆｔ card please")))
        .isInstanceOf(GuardResult.Block.class);
    assertThat(guard.check(GuardSubject.input("sales", "gi\u200Bft card please")))
        .isInstanceOf(GuardResult.Block.class);
  }

  @Test
  void byDefaultItLooksAtTheTaskAndToolArgumentsOnly() {
    assertThat(guard.stages())
        .containsExactlyInAnyOrder(GuardStage.INPUT, GuardStage.TOOL_ARGUMENTS);
  }

  @Test
  void aReaskTellsTheModelWhatNotToUse() {
    BlocklistGuard reasking =
        BlocklistGuard.builder()
            .domains(List.of("rival.example"))
            .action(GuardAction.REASK)
            .build();

    GuardResult result = reasking.check(args("{\"to\":\"a@rival.example\"}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.reask(
                "Blocked domain 'rival.example' in argument 'to' of tool 'send_email'. This"
                    + " workflow must not use them: do without them, or say that you cannot."));
  }

  @Test
  void argumentsAreReadAsDecodedValuesSoALineBreakDoesNotHideAWord() {
    GuardResult result =
        guard.check(
            args(
                "{\"body\":\"Hello,\\ngift card codes attached\\nrival.example/offer\","
                    + "\"subject\":\"Re: order\"}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block(
                "blocked domain 'rival.example', term 'gift card' in argument 'body' of tool"
                    + " 'send_email'"));
  }

  @Test
  void everyArgumentThatHoldsABlockedTermIsNamedAndKeysAreReadToo() {
    GuardResult result =
        guard.check(
            args(
                "{\"items\":[{\"note\":\"x\\u000Awire transfer\"}],"
                    + "\"extra\":{\"gift card\":\"1\"}}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block(
                "blocked term 'wire transfer', term 'gift card' in arguments 'extra.<key>',"
                    + " 'items[0].note' of tool 'send_email'"));
  }

  @Test
  void aDomainSettingMustBeABareDomain() {
    assertThatThrownBy(() -> BlocklistGuard.builder().domains(List.of("https://rival.example")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guard 'blocklist': blocked domain 'https://rival.example' is not a domain name like"
                + " example.com (no scheme, path or '@')");
    assertThatThrownBy(() -> BlocklistGuard.builder().build())
        .hasMessage("guard 'blocklist' needs at least one blocked domain or term");
  }

  @Test
  void percentDecodingLeavesMalformedEscapesAlone() {
    assertThat(BlocklistGuard.percentDecoded("100% sure %2Fa %zz %4"))
        .isEqualTo("100% sure /a %zz %4");
  }
}
