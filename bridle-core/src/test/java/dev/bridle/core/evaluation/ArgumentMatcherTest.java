package dev.bridle.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentMatcherTest {

  private static JsonNode json(String text) {
    return Json.tree(text);
  }

  private static ArgumentMatcher matcher(String spec) {
    return ArgumentMatcher.of(json(spec));
  }

  @Test
  void aPlainValueMustBeEqualAfterNormalisation() {
    assertThat(matcher("\"L-1004\"").matches(json("\"L-1004\""))).isTrue();
    assertThat(matcher("\"L-1004\"").matches(json("\"L-1005\""))).isFalse();
    assertThat(matcher("1").matches(json("1.0"))).isTrue();
    assertThat(matcher("{\"a\":1,\"b\":[1,2]}").matches(json("{\"b\":[1,2.0],\"a\":1}"))).isTrue();
    assertThat(matcher("[1,2]").matches(json("[2,1]"))).isFalse();
    assertThat(matcher("\"1\"").matches(json("1"))).isFalse();
  }

  @Test
  void equalsComparesObjectValuesThatLookLikeMatchers() {
    ArgumentMatcher m = matcher("{\"equals\":{\"contains\":\"x\"}}");
    assertThat(m.matches(json("{\"contains\":\"x\"}"))).isTrue();
    assertThat(m.matches(json("\"x\""))).isFalse();
  }

  @Test
  void containsIgnoresCaseAndLooksIntoJsonText() {
    assertThat(matcher("{\"contains\":\"baker\"}").matches(json("\"Head Baker at Fernhollow\"")))
        .isTrue();
    assertThat(matcher("{\"contains\":\"baker\"}").matches(json("\"Head chef\""))).isFalse();
    assertThat(matcher("{\"contains\":\"bio\"}").matches(json("{\"bio\":\"x\"}"))).isTrue();
  }

  @Test
  void regexMustMatchTheWholeValue() {
    assertThat(matcher("{\"regex\":\"L-\\\\d{4}\"}").matches(json("\"L-1004\""))).isTrue();
    assertThat(matcher("{\"regex\":\"L-\\\\d{4}\"}").matches(json("\"lead L-1004\""))).isFalse();
    assertThat(matcher("{\"regex\":\"\\\\d+\"}").matches(json("42"))).isTrue();
  }

  @Test
  void anyAndAbsentTellAMissingArgumentFromANullOne() {
    JsonNode args = json("{\"given\":null}");
    assertThat(matcher("{\"any\":true}").matches(args.path("given"))).isTrue();
    assertThat(matcher("{\"any\":true}").matches(args.path("missing"))).isFalse();
    assertThat(matcher("{\"absent\":true}").matches(args.path("missing"))).isTrue();
    assertThat(matcher("{\"absent\":true}").matches(args.path("given"))).isFalse();
    assertThat(matcher("\"x\"").matches(args.path("missing"))).isFalse();
  }

  @Test
  void mismatchesNameTheArgumentTheExpectationAndTheValue() {
    Map<String, ArgumentMatcher> expected =
        ArgumentMatcher.ofArguments(
            json("{\"lead_id\":\"L-1004\",\"bio\":{\"contains\":\"baker\"},\"x\":{\"any\":true}}"));

    assertThat(
            ArgumentMatcher.mismatches(
                json("{\"lead_id\":\"L-1004\",\"bio\":\"Head baker\",\"x\":1,\"other\":2}"),
                expected))
        .isEmpty();
    assertThat(ArgumentMatcher.mismatches(json("{\"lead_id\":\"L-1\",\"bio\":\"chef\"}"), expected))
        .containsExactly(
            "lead_id: expected it equals \"L-1004\", but it was \"L-1\"",
            "bio: expected it contains 'baker', but it was \"chef\"",
            "x: expected it is given, but it was not given");
    assertThat(ArgumentMatcher.mismatches(json("\"not json\""), expected)).hasSize(3);
  }

  @Test
  void badMatchersAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> matcher("{\"contains\":\"a\",\"regex\":\"b\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one key");
    assertThatThrownBy(() -> matcher("{\"regex\":\"(\"}"))
        .hasMessageContaining("'regex' is not a valid pattern");
    assertThatThrownBy(() -> matcher("{\"any\":false}")).hasMessageContaining("{any: true}");
    assertThatThrownBy(() -> matcher("{\"contain\":\"x\"}"))
        .hasMessageContaining("unknown matcher 'contain' (did you mean 'contains'?)");
    assertThatThrownBy(() -> matcher("{\"regexp\":\"x\"}")).hasMessageContaining("'regex'");
    assertThatThrownBy(() -> matcher("{\"contains\":[1]}"))
        .hasMessageContaining("'contains' takes text");
    assertThatThrownBy(() -> ArgumentMatcher.ofArguments(json("{\"bio\":{\"absent\":1}}")))
        .hasMessageStartingWith("argument 'bio': ");
    assertThatThrownBy(() -> ArgumentMatcher.ofArguments(json("[1]")))
        .hasMessageContaining("mapping of argument names");
  }

  @Test
  void anObjectWithoutMatcherKeysIsAPlainValue() {
    ArgumentMatcher m = matcher("{\"bio\":\"x\"}");
    assertThat(m).isInstanceOf(ArgumentMatcher.Equals.class);
    assertThat(m.matches(json("{\"bio\":\"x\"}"))).isTrue();
  }
}
