package dev.bridle.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PiiDetectorTest {

  private final PiiDetector detector = PiiDetector.standard();

  private List<String> found(String text, PiiType type) {
    return detector.find(text).stream()
        .filter(f -> f.type() == type)
        .map(f -> f.textIn(text))
        .toList();
  }

  @Test
  void creditCardsPassingLuhnAreFoundInEveryGrouping() {
    String text = "cards 4012888888881881, 4012-8888-8888-1881 and 3714 496353 98431.";
    assertThat(found(text, PiiType.CREDIT_CARD))
        .containsExactly("4012888888881881", "4012-8888-8888-1881", "3714 496353 98431");
  }

  @Test
  void creditCardLookAlikesFailingLuhnAreNotReported() {
    assertThat(detector.find("card 4012-8888-8888-1882 and 36168002586008")).isEmpty();
  }

  @Test
  void ibansAreFoundCompactAndSpacedButStopAtTheirRegisteredLength() {
    String text = "pay to DE89370400440532013000 or GB29 NWBK 6016 1331 9268 19 X today";
    assertThat(found(text, PiiType.IBAN))
        .containsExactly("DE89370400440532013000", "GB29 NWBK 6016 1331 9268 19");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DE89370400440532013001", // mod-97 fails
        "GB29 NWBK 6016 1331 9268 1", // too short for GB
        "gb29nwbk60161331926819", // lower case
        "AM47212110090000000235698740" // not an IBAN country
      })
  void ibanLookAlikesAreNotReported(String text) {
    assertThat(found(text, PiiType.IBAN)).isEmpty();
  }

  @Test
  void emailsAreFoundIncludingPunycodeDomains() {
    String text = "write to info@presidio.site or a@xn--d1acufc.xn--p1ai, not info@presidio.";
    assertThat(found(text, PiiType.EMAIL))
        .containsExactly("info@presidio.site", "a@xn--d1acufc.xn--p1ai");
  }

  @Test
  void anAddressAtTheEndOfASentenceIsFoundWithoutTheFullStop() {
    String text = "Contact me at jane.doe@gmail.com. Or mail ops@mail.example.org.";
    assertThat(found(text, PiiType.EMAIL))
        .containsExactly("jane.doe@gmail.com", "ops@mail.example.org");
  }

  @Test
  void phonesInInternationalAndNationalFormatsAreFound() {
    String text = "call (415) 555-0132, +1 415 555 0132, +44 (20) 7123 4567 or 090-1234-5678";
    assertThat(found(text, PiiType.PHONE))
        .containsExactly(
            "(415) 555-0132", "+1 415 555 0132", "+44 (20) 7123 4567", "090-1234-5678");
  }

  @ParameterizedTest
  @ValueSource(strings = {"order 123456789012 shipped", "on 2026-11-22 at 10:30", "v1.2.3.4"})
  void plainNumbersAndDatesAreNotPhones(String text) {
    assertThat(found(text, PiiType.PHONE)).isEmpty();
  }

  @Test
  void ipv4AddressesRespectOctetRanges() {
    assertThat(
            found(
                "hosts 192.168.0.1, 10.0.0.256 and 300.1.1.1 (255.255.255.255)",
                PiiType.IP_ADDRESS))
        .containsExactly("192.168.0.1", "255.255.255.255");
  }

  @Test
  void ipv6FullCompressedAndEmbeddedFormsAreFound() {
    String text =
        "a 2001:0db8:85a3:0000:0000:8a2e:0370:7334 b [2001:db8::1]:80 c ::ffff:192.0.2.1 d fe80::1%eth0";
    assertThat(found(text, PiiType.IP_ADDRESS))
        .containsExactly(
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "2001:db8::1",
            "::ffff:192.0.2.1",
            "fe80::1%eth0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Time 12:34:56",
        "std::cout",
        "2001::db8::1",
        "MAC aa:bb:cc:dd:ee:ff",
        "Ratio 1:2:3:4"
      })
  void colonSeparatedLookAlikesAreNotIpv6(String text) {
    assertThat(found(text, PiiType.IP_ADDRESS)).isEmpty();
  }

  @Test
  void ssnsAreFoundWithConsistentSeparators() {
    assertThat(found("ssn 078-05-1123 or 078 05 1123", PiiType.US_SSN))
        .containsExactly("078-05-1123", "078 05 1123");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000-12-3456",
        "666-12-3456",
        "912-12-3456",
        "078-00-1123",
        "078-05-0000",
        "693-09.4444",
        "078-05-1120"
      })
  void ssnsInNeverIssuedRangesAreNotReported(String text) {
    assertThat(found(text, PiiType.US_SSN)).isEmpty();
  }

  @Test
  void urlsNeedASchemeOrWwwAndADottedHost() {
    String text =
        "see https://www.microsoft.com/store/abc/?q=1. or www.example.org, not http://microsoft";
    assertThat(found(text, PiiType.URL))
        .containsExactly("https://www.microsoft.com/store/abc/?q=1", "www.example.org");
  }

  @Test
  void bitcoinAddressesAreCheckedByChecksum() {
    String text =
        "pay 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    assertThat(found(text, PiiType.CRYPTO))
        .containsExactly(
            "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    assertThat(found("pay 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY", PiiType.CRYPTO)).isEmpty();
    assertThat(found("pay bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr", PiiType.CRYPTO)).isEmpty();
  }

  @Test
  void apiKeysOfKnownFormatsAreFound() {
    String text =
        String.join(
            " ",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_" + "a".repeat(36),
            "github_pat_" + "B".repeat(40),
            "xoxb-1234567890-abcdefghij",
            "sk-proj-" + "x".repeat(40),
            "sk_live_" + "4".repeat(24),
            "AIza" + "S".repeat(35));
    assertThat(found(text, PiiType.API_KEY)).hasSize(7);
  }

  @Test
  void jwtsAndPrivateKeysAreFound() {
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    List<PiiFinding> findings = detector.find("token " + jwt + "\n" + pem + "\n");
    assertThat(findings)
        .extracting(PiiFinding::type)
        .containsExactly(PiiType.JWT, PiiType.PRIVATE_KEY);
    assertThat(findings.get(1).length()).isEqualTo(pem.length());
  }

  @Test
  void highEntropyTokensAreFoundButWordsAndHexDigestsAreNot() {
    String secret = "Zq8vN3kL0pXr7TbW2yHs9cJm4dFg6QeA";
    String digest = "8f953371d3e85eddb89b05ed6b9e680791055315c73e1025ab5dba7bb2aee189";
    String text =
        "secret=" + secret + " sha " + digest + " AnExtremelyLongIdentifierNameForTesting";
    assertThat(detector.find(text)).extracting(f -> f.textIn(text)).containsExactly(secret);
    assertThat(detector.find(text).get(0).type()).isEqualTo(PiiType.HIGH_ENTROPY_TOKEN);
  }

  @Test
  void overlapsKeepTheLongestSpan() {
    String text = "go to https://10.0.0.1.example.com/a and mail bob@192.168.example.org";
    List<PiiFinding> findings = detector.find(text);
    assertThat(findings).extracting(PiiFinding::type).containsExactly(PiiType.URL, PiiType.EMAIL);
  }

  @Test
  void equalSpansKeepTheMoreSpecificType() {
    String address = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
    assertThat(detector.find(address)).extracting(PiiFinding::type).containsExactly(PiiType.CRYPTO);
  }

  @Test
  void redactionReplacesEachSpanWithItsType() {
    String text = "Mail bob@example.com from 10.1.2.3, card 4111 1111 1111 1111.";
    assertThat(detector.redact(text))
        .isEqualTo(
            "Mail [REDACTED:EMAIL] from [REDACTED:IP_ADDRESS], card [REDACTED:CREDIT_CARD].");
    assertThat(detector.redact("nothing here")).isEqualTo("nothing here");
  }

  @Test
  void builderRestrictsTypesAndValidatesSettings() {
    PiiDetector emailsOnly = PiiDetector.builder().types(Set.of(PiiType.EMAIL)).build();
    assertThat(emailsOnly.redact("bob@example.com 10.1.2.3"))
        .isEqualTo("[REDACTED:EMAIL] 10.1.2.3");
    assertThatThrownBy(() -> PiiDetector.builder().entropyThreshold(0).build())
        .hasMessage("entropy-threshold must be in (0, 8] bits per character, but was 0.0");
    assertThatThrownBy(() -> PiiDetector.builder().minTokenLength(3).build())
        .hasMessage("min-token-length must be between 16 and 4096, but was 3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "1", "1 ", ":", "@", "+"})
  void adversarialInputsOfTwoHundredKilobytesFinishQuickly(String unit) {
    String text = unit.repeat(200_000 / unit.length()) + "x@y";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> detector.find(text));
  }

  @Test
  void realisticTwoHundredKilobyteTextFinishesQuickly() {
    String line =
        "user bob@example.com at 192.168.0.1 paid 4111111111111111 from DE89370400440532013000, "
            + "call +1 415 555 0132, see https://example.com/x?y=1 12:34:56 2001:db8::1\n";
    String text = line.repeat(200_000 / line.length());
    List<PiiFinding> findings =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> detector.find(text));
    assertThat(findings).hasSize(7 * (200_000 / line.length()));
  }
}
