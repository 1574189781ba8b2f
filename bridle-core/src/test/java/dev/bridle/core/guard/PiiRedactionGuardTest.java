package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.guard.pii.PiiType;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiRedactionGuardTest {

  private final PiiRedactionGuard guard = PiiRedactionGuard.builder().build();

  private static GuardSubject answer(String text) {
    return GuardSubject.finalAnswer("support", text);
  }

  @Test
  void personalDataAndSecretsAreReplacedByTypedPlaceholders() {
    String text =
        "Card 4111 1111 1111 1111, IBAN DE89370400440532013000, SSN 123-45-6789,"
            + " mail jane.doe@example.com, call +1 415 555 0100, host 192.168.1.20,"
            + " key AKIAIOSFODNN7EXAMPLE.";

    GuardResult result = guard.check(answer(text));

    assertThat(result)
        .isEqualTo(
            GuardResult.redact(
                "Card [REDACTED:CREDIT_CARD], IBAN [REDACTED:IBAN], SSN [REDACTED:US_SSN],"
                    + " mail [REDACTED:EMAIL], call [REDACTED:PHONE], host [REDACTED:IP_ADDRESS],"
                    + " key [REDACTED:API_KEY].",
                "redacted 1 API_KEY, 1 CREDIT_CARD, 1 IBAN, 1 US_SSN, 1 EMAIL, 1 IP_ADDRESS,"
                    + " 1 PHONE in the answer"));
  }

  @Test
  void checksumInvalidLookAlikesAreLeftAlone() {
    assertThat(guard.check(answer("Order 4111 1111 1111 1112 ships from DE89370400440532013001")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void urlsAreKeptByDefaultButTokensInsideThemAreNot() {
    GuardResult result =
        guard.check(
            answer(
                "See https://help.example.com/reset?token=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"));

    assertThat(result).isInstanceOf(GuardResult.Redact.class);
    assertThat(((GuardResult.Redact) result).text())
        .isEqualTo("See https://help.example.com/reset?token=[REDACTED:API_KEY]");
  }

  @Test
  void onlyTheConfiguredTypesAreRedacted() {
    PiiRedactionGuard cardsOnly =
        PiiRedactionGuard.builder().types(List.of(PiiType.CREDIT_CARD)).build();

    GuardResult result = cardsOnly.check(answer("jane@example.com paid with 4111111111111111"));

    assertThat(((GuardResult.Redact) result).text())
        .isEqualTo("jane@example.com paid with [REDACTED:CREDIT_CARD]");
  }

  @Test
  void allowedValuesAreNeverReported() {
    PiiRedactionGuard allowing =
        PiiRedactionGuard.builder().allow(List.of("Support@Acme.example")).build();

    GuardResult result =
        allowing.check(answer("Write to support@acme.example, not to jane@example.com"));

    assertThat(((GuardResult.Redact) result).text())
        .isEqualTo("Write to support@acme.example, not to [REDACTED:EMAIL]");
  }

  @Test
  void blockModeRefusesAndNamesTypesNotValues() {
    PiiRedactionGuard blocking =
        PiiRedactionGuard.builder()
            .stages(List.of(GuardStage.TOOL_ARGUMENTS))
            .action(GuardAction.BLOCK)
            .build();

    GuardResult result =
        blocking.check(
            GuardSubject.toolArguments(
                "support", "post_webhook", "{\"card\":\"4111-1111-1111-1111\"}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block("found 1 CREDIT_CARD in argument 'card' of tool 'post_webhook'"));
  }

  @Test
  void reaskModeAsksTheModelToLeaveTheValuesOut() {
    GuardResult result =
        PiiRedactionGuard.builder()
            .action(GuardAction.REASK)
            .build()
            .check(answer("Your SSN 123-45-6789 is on file"));

    assertThat(result)
        .isEqualTo(
            GuardResult.reask(
                "Your answer contains personal data or secrets (1 US_SSN). Leave the values out,"
                    + " or refer to them without repeating them."));
  }

  @Test
  void redactedToolArgumentsStayValidJson() throws Exception {
    PiiRedactionGuard onArgs =
        PiiRedactionGuard.builder().stages(List.of(GuardStage.TOOL_ARGUMENTS)).build();

    GuardResult result =
        onArgs.check(
            GuardSubject.toolArguments(
                "support", "note", "{\"text\":\"reach me at jane@example.com\"}"));

    String json = ((GuardResult.Redact) result).text();
    assertThat(dev.bridle.core.internal.Json.MAPPER.readTree(json).get("text").asText())
        .isEqualTo("reach me at [REDACTED:EMAIL]");
  }

  private static final PiiRedactionGuard PAYMENT_DATA_OUT =
      PiiRedactionGuard.builder()
          .stages(List.of(GuardStage.TOOL_ARGUMENTS))
          .types(
              List.of(
                  PiiType.CREDIT_CARD,
                  PiiType.IBAN,
                  PiiType.US_SSN,
                  PiiType.API_KEY,
                  PiiType.PRIVATE_KEY,
                  PiiType.JWT))
          .action(GuardAction.BLOCK)
          .build();

  @Test
  void anApiKeyRightAfterALineBreakInAnArgumentIsFound() {
    GuardResult result =
        PAYMENT_DATA_OUT.check(
            GuardSubject.toolArguments(
                "support",
                "create_internal_note",
                "{\"text\":\"Engineering, test with the customer's key:\\n"
                    + "sk_live_4eC39HqLyjWDarjtT1zdp7dc\"}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block("found 1 API_KEY in argument 'text' of tool 'create_internal_note'"));
  }

  @Test
  void anIbanRightAfterALineBreakInAnArgumentIsFound() {
    GuardResult result =
        PAYMENT_DATA_OUT.check(
            GuardSubject.toolArguments(
                "support",
                "draft_reply",
                "{\"body\":\"Hello,\\n\\nthe account on file is\\nDE89 3704 0044 0532 0130 00\\n"
                    + "\\nBest regards\",\"subject\":\"Re: charged twice\"}"));

    assertThat(result)
        .isEqualTo(GuardResult.block("found 1 IBAN in argument 'body' of tool 'draft_reply'"));
  }

  @Test
  void numbersAndKeysOfTheArgumentsAreReadToo() {
    GuardResult result =
        PAYMENT_DATA_OUT.check(
            GuardSubject.toolArguments(
                "shop",
                "pay",
                "{\"amount\":12.5,\"card\":4111111111111111,"
                    + "\"meta\":{\"123-45-6789\":\"ssn as a key\"}}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block(
                "found 1 CREDIT_CARD, 1 US_SSN in arguments 'card', 'meta.<key>' of tool 'pay'"));
  }

  @Test
  void redactingArgumentsReplacesInsideDecodedValuesAndKeepsTheJsonValid() throws Exception {
    PiiRedactionGuard onArgs =
        PiiRedactionGuard.builder().stages(List.of(GuardStage.TOOL_ARGUMENTS)).build();
    String arguments =
        "{\"body\":\"Card on file:\\n4111 1111 1111 1111\\nThanks \\\"Jane\\\"\","
            + "\"cc\":[\"ok\",\"jane@example.com\"],\"amount\":25}";

    GuardResult result = onArgs.check(GuardSubject.toolArguments("support", "note", arguments));

    GuardResult.Redact redact = (GuardResult.Redact) result;
    assertThat(redact.findings())
        .isEqualTo("redacted 1 CREDIT_CARD, 1 EMAIL in arguments 'body', 'cc[1]' of tool 'note'");
    com.fasterxml.jackson.databind.JsonNode tree =
        dev.bridle.core.internal.Json.MAPPER.readTree(redact.text());
    assertThat(tree.get("body").asText())
        .isEqualTo("Card on file:\n[REDACTED:CREDIT_CARD]\nThanks \"Jane\"");
    assertThat(tree.get("cc").get(0).asText()).isEqualTo("ok");
    assertThat(tree.get("cc").get(1).asText()).isEqualTo("[REDACTED:EMAIL]");
    assertThat(tree.get("amount").isInt()).isTrue();
    assertThat(redact.text()).isEqualTo(dev.bridle.core.internal.Json.canonical(tree));
  }

  @Test
  void aRedactedNumberBecomesTextAndARedactedKeyIsRenamed() throws Exception {
    PiiRedactionGuard onArgs =
        PiiRedactionGuard.builder().stages(List.of(GuardStage.TOOL_ARGUMENTS)).build();

    GuardResult result =
        onArgs.check(
            GuardSubject.toolArguments(
                "shop", "pay", "{\"card\":4111111111111111,\"meta\":{\"jane@example.com\":1}}"));

    assertThat(((GuardResult.Redact) result).text())
        .isEqualTo("{\"card\":\"[REDACTED:CREDIT_CARD]\",\"meta\":{\"[REDACTED:EMAIL]\":1}}");
  }

  @Test
  void redactionThatWouldMergeTwoKeysBlocksInstead() {
    PiiRedactionGuard onArgs =
        PiiRedactionGuard.builder().stages(List.of(GuardStage.TOOL_ARGUMENTS)).build();

    GuardResult result =
        onArgs.check(
            GuardSubject.toolArguments(
                "shop", "tag", "{\"meta\":{\"ann@example.com\":1,\"bob@example.com\":2}}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.block(
                "found 2 EMAIL in argument 'meta.<key>' of tool 'tag' and could not redact it:"
                    + " two keys of one object would have the same name"));
  }

  @Test
  void theAllowListAppliesToEachValue() {
    PiiRedactionGuard allowing =
        PiiRedactionGuard.builder()
            .stages(List.of(GuardStage.TOOL_ARGUMENTS))
            .allow(List.of("support@acme.example"))
            .action(GuardAction.BLOCK)
            .build();

    assertThat(
            allowing.check(
                GuardSubject.toolArguments(
                    "support", "send", "{\"from\":\"Support@acme.example\",\"body\":\"hi\"}")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void defaultsCoverOutputAndToolResults() {
    assertThat(guard.stages())
        .containsExactlyInAnyOrder(GuardStage.MODEL_OUTPUT, GuardStage.TOOL_RESULT);
    assertThat(PiiRedactionGuard.defaultTypes())
        .doesNotContain(PiiType.URL)
        .contains(PiiType.EMAIL);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> PiiRedactionGuard.builder().types(List.of()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'pii': types must not be empty");
    assertThatThrownBy(() -> PiiRedactionGuard.builder().minTokenLength(8).build())
        .hasMessage("guard 'pii': min-token-length must be between 16 and 4096, but was 8");
    assertThatThrownBy(() -> PiiRedactionGuard.builder().action(GuardAction.TRUNCATE))
        .hasMessage(
            "guard 'pii' does not support action 'truncate'; use one of flag, redact, reask,"
                + " escalate, block");
  }
}
