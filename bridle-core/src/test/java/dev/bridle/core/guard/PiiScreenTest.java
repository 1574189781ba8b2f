package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.guard.pii.PiiType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PiiScreenTest {

  /** One or more samples of every type, and near misses, to be mixed into texts. */
  private static final List<String> FRAGMENTS =
      List.of(
          "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
          "AKIAIOSFODNN7EXAMPLE",
          "xoxb-1234567890-abcdefghij",
          "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
          "4111 1111 1111 1111",
          "4012888888881881",
          "DE89370400440532013000",
          "GB29 NWBK 6016 1331 9268 19",
          "123-45-6789",
          "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
          "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
          "jane.doe@example.com",
          "https://help.example.com/a?b=c",
          "www.example.org",
          "192.168.1.20",
          "fe80::1",
          "::1",
          "2001:db8::8a2e:370:7334",
          "+1 415 555 0100",
          "(415) 555-0100",
          "030 1234 5678",
          "q8Z3vK1mX7pT4wN9bR2sL6dF0hJ5cY",
          "Zx8qT2mLp9Rv4Wn7Ks1Jd6Hf3Gb5Yc0A",
          "order 12345",
          "at 10:30:15",
          "v1.2.3",
          "see page 4.",
          "AbstractSingletonProxyFactoryBean2",
          "the quick brown fox",
          "a :: b",
          "@mention",
          "e",
          "-",
          "w");

  private static final String[] GLUE = {" ", ", ", "\n", "; ", " and ", "(", ") ", ": ", "="};

  @Test
  void theScreenFindsExactlyWhatTheFullDetectorFinds() {
    PiiScreen screen =
        new PiiScreen(
            EnumSet.allOf(PiiType.class),
            PiiDetector.DEFAULT_ENTROPY_THRESHOLD,
            PiiDetector.DEFAULT_MIN_TOKEN_LENGTH);
    PiiDetector full = PiiDetector.standard();
    Random random = new Random(42);
    List<String> texts = new ArrayList<>(FRAGMENTS);
    for (int i = 0; i < 3_000; i++) {
      StringBuilder text = new StringBuilder();
      int parts = 1 + random.nextInt(4);
      for (int p = 0; p < parts; p++) {
        text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())))
            .append(GLUE[random.nextInt(GLUE.length)]);
      }
      texts.add(text.toString());
    }

    for (String text : texts) {
      assertThat(screen.find(text)).as(text).isEqualTo(full.find(text));
    }
  }

  @Test
  void theScreenHonoursTheConfiguredTypesAndSettings() {
    PiiScreen cardsOnly = new PiiScreen(EnumSet.of(PiiType.CREDIT_CARD), 4.0, 24);

    assertThat(cardsOnly.find("jane@example.com 4111111111111111"))
        .extracting(f -> f.type())
        .containsExactly(PiiType.CREDIT_CARD);
  }

  @Test
  void proseNeedsNoRecognizerAtAll() {
    PiiScreen screen = new PiiScreen(EnumSet.allOf(PiiType.class), 4.0, 24);

    assertThat(
            screen.possibleTypes(
                "Thank you for contacting support. We are sorry the package was late; a"
                    + " replacement ships this week, and we will keep you posted."))
        .isEmpty();
    assertThat(screen.possibleTypes("mail me: jane@example.com")).containsExactly(PiiType.EMAIL);
  }
}
