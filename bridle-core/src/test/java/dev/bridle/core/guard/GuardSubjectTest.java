package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardSubjectTest {

  private static GuardSubject.Part value(String argument, String text) {
    return new GuardSubject.Part(text, Optional.of(argument), false);
  }

  private static GuardSubject.Part key(String argument, String text) {
    return new GuardSubject.Part(text, Optional.of(argument), true);
  }

  @Test
  void toolArgumentsArePartedIntoDecodedValuesNumbersAndKeysWithTheirPaths() {
    GuardSubject subject =
        GuardSubject.toolArguments(
            "support",
            "note",
            "{\"text\":\"Hello,\\nsk_live_x \\\"quoted\\\" \\u00e9\",\"ids\":[\"T-1\",7],"
                + "\"flag\":true,\"none\":null,\"customer\":{\"email\":\"a@b.example\"}}");

    assertThat(subject.parts())
        .containsExactly(
            key("text", "text"),
            value("text", "Hello,\nsk_live_x \"quoted\" é"),
            key("ids", "ids"),
            value("ids[0]", "T-1"),
            value("ids[1]", "7"),
            key("flag", "flag"),
            key("none", "none"),
            key("customer", "customer"),
            key("customer.email", "email"),
            value("customer.email", "a@b.example"));
  }

  @Test
  void keysThatAreNotPlainNamesAreHiddenInPaths() {
    GuardSubject subject =
        GuardSubject.toolArguments(
            "support",
            "tag",
            "{\"meta\":{\"jane@example.com\":\"a\",\"2024\":\"b\","
                + "\"AKIAIOSFODNN7EXAMPLE\":\"c\",\"line_2\":\"d\"}}");

    assertThat(subject.parts())
        .extracting(p -> p.argument().orElseThrow())
        .containsExactly(
            "meta",
            "meta.<key>",
            "meta.<key>",
            "meta.<key>",
            "meta.<key>",
            "meta.<key>",
            "meta.<key>",
            "meta.line_2",
            "meta.line_2");
  }

  @Test
  void otherStagesAndArgumentsThatAreNotOneJsonValueAreOnePart() {
    String duplicate = "{\"a\":\"x\",\"a\":\"y\"}";
    String trailing = "{\"a\":\"x\"} gift card";

    assertThat(GuardSubject.input("support", "a\\nb").parts())
        .containsExactly(new GuardSubject.Part("a\\nb", Optional.empty(), false));
    assertThat(GuardSubject.toolArguments("support", "t", duplicate).parts())
        .containsExactly(new GuardSubject.Part(duplicate, Optional.empty(), false));
    assertThat(GuardSubject.toolArguments("support", "t", trailing).parts())
        .containsExactly(new GuardSubject.Part(trailing, Optional.empty(), false));
    assertThat(GuardSubject.toolArguments("support", "t", "\"just text\"").parts())
        .containsExactly(new GuardSubject.Part("\"just text\"", Optional.empty(), false));
  }

  @Test
  void descriptionsNameTheArgumentsAndAgreeInNumber() {
    GuardSubject subject = GuardSubject.toolArguments("support", "draft_reply", "{}");
    List<GuardSubject.Part> one = List.of(value("body", "x"), key("body", "body"));
    List<GuardSubject.Part> two = List.of(value("subject", "x"), value("body", "y"));

    assertThat(subject.describe(one)).isEqualTo("argument 'body' of tool 'draft_reply'");
    assertThat(subject.describesMany(one)).isFalse();
    assertThat(subject.describe(two))
        .isEqualTo("arguments 'body', 'subject' of tool 'draft_reply'");
    assertThat(subject.describesMany(two)).isTrue();
    assertThat(subject.describe(List.of())).isEqualTo("the arguments of tool 'draft_reply'");
    assertThat(subject.describesMany(List.of())).isTrue();
    GuardSubject answer = GuardSubject.finalAnswer("support", "x");
    assertThat(answer.describe(answer.parts())).isEqualTo("the answer");
    assertThat(answer.describesMany(answer.parts())).isFalse();
  }

  @Test
  void aKeyLongEnoughToBeATokenIsHiddenWhateverTheDetectorsSettings() {
    // 20 characters: a pii guard with min-token-length 16 may treat it as a secret
    GuardSubject subject =
        GuardSubject.toolArguments("support", "tag", "{\"m\":{\"Zq8Lw3Nr5Tx7Vb9Kd2Mh\":\"x\"}}");

    assertThat(subject.parts())
        .extracting(p -> p.argument().orElseThrow())
        .containsExactly("m", "m.<key>", "m.<key>")
        .noneMatch(path -> path.contains("Zq8L"));
  }

  @Test
  void aReasonNamesAtMostTenArguments() {
    StringBuilder json = new StringBuilder("{\"to\":[");
    for (int i = 0; i < 5_000; i++) {
      json.append(i == 0 ? "" : ",").append("\"a").append(i).append("@b.example\"");
    }
    GuardSubject subject =
        GuardSubject.toolArguments("support", "mail", json.append("]}").toString());

    String reason = subject.describe(subject.parts());

    assertThat(reason)
        .startsWith("arguments 'to', 'to[0]', ")
        .endsWith(" and 4991 more of tool 'mail'")
        .hasSizeLessThan(200);
  }
}
