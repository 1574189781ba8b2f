package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

  @Test
  void secretsAndPersonalDataInALogLineAreRedacted() {
    String line =
        "calling CRM for jane.doe@example.com with Authorization: Bearer"
            + " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
            + " and key sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345";

    assertThat(Redactor.redact(line))
        .isEqualTo(
            "calling CRM for [REDACTED:EMAIL] with Authorization: Bearer [REDACTED:JWT] and key"
                + " [REDACTED:API_KEY]");
  }

  @Test
  void endpointsStayReadableButTheirSecretsDoNot() {
    assertThat(
            Redactor.redact(
                "POST https://api.example.com/v1/hooks?key=Zx8qT2mLp9Rv4Wn7Ks1Jd6Hf3Gb5Yc0A failed"))
        .isEqualTo(
            "POST https://api.example.com/v1/hooks?key=[REDACTED:HIGH_ENTROPY_TOKEN] failed");
  }

  @Test
  void aRandomTokenWithoutAKnownFormatIsFoundByItsEntropy() {
    assertThat(Redactor.redact("session=q8Z3vK1mX7pT4wN9bR2sL6dF0hJ5cY"))
        .isEqualTo("session=[REDACTED:HIGH_ENTROPY_TOKEN]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "internationalization and supercalifragilisticexpialidocious",
        "AbstractSingletonProxyFactoryBean2 was created",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b merged",
        "request 123e4567-e89b-12d3-a456-426614174000 done",
        "src/main/java/dev/bridle/core/guard/RedactorTest.java:42",
        "The quick brown fox jumps over the lazy dog 1234 times.",
        "ticket TCK-2024-000123 for customer ACME-Holdings-International",
        "Version2024ReleaseCandidate_Final"
      })
  void ordinaryWordsIdentifiersAndDigestsAreNotTokens(String text) {
    assertThat(Redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void shortAndCleanTextIsReturnedAsIs() {
    String clean = "Model answered in 412 ms with 3 tool calls.";

    assertThat(Redactor.redact("ok")).isSameAs("ok");
    assertThat(Redactor.redact(clean)).isSameAs(clean);
  }

  @Test
  void aLongMessageIsRedactedThenCut() {
    String message = "user jane@example.com said: " + "a".repeat(500);

    String cut = Redactor.redact(message, 40);

    assertThat(cut).isEqualTo("user [REDACTED:EMAIL] said: aaaaaaaaaaaa… (488 more characters)");
  }
}
