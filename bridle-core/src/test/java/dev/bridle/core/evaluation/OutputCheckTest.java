package dev.bridle.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.internal.Json;
import org.junit.jupiter.api.Test;

class OutputCheckTest {

  @Test
  void containsAndNotContainsIgnoreCase() {
    OutputCheck check =
        OutputCheck.builder().contains("bio", "L-1004").notContains("http://").build();

    assertThat(check.problems("Proposed a BIO for lead l-1004.")).isEmpty();
    assertThat(check.problems("See HTTP://x.example for lead L-1004"))
        .containsExactly(
            "the answer does not contain 'bio'",
            "the answer contains 'http://', which it must not");
  }

  @Test
  void regexNeedsAMatchSomewhereAndAnchorsWork() {
    OutputCheck check = OutputCheck.builder().regex("^Proposed").build();

    assertThat(check.problems("Proposed a bio.")).isEmpty();
    assertThat(check.problems("I proposed a bio."))
        .containsExactly("the answer has no match of /^Proposed/");
    assertThat(OutputCheck.builder().regex("L-\\d+").build().problems("lead L-12 done")).isEmpty();
  }

  @Test
  void jsonSchemaParsesTheAnswerFencedOrNot() {
    OutputCheck check =
        OutputCheck.builder()
            .jsonSchema(
                Json.tree(
                    "{\"type\":\"object\",\"required\":[\"category\"],"
                        + "\"properties\":{\"category\":{\"enum\":[\"billing\",\"bug\"]}}}"))
            .build();

    assertThat(check.problems("{\"category\":\"billing\"}")).isEmpty();
    assertThat(check.problems("```json\n{\"category\":\"bug\"}\n```")).isEmpty();
    assertThat(check.problems("{\"category\":\"other\"}"))
        .singleElement()
        .asString()
        .startsWith("the answer does not match the schema:")
        .contains("category");
    assertThat(check.problems("category: billing"))
        .singleElement()
        .asString()
        .startsWith("the answer is not valid JSON");
    assertThat(check.problems("{\"category\":\"bug\"} trailing"))
        .singleElement()
        .asString()
        .startsWith("the answer is not valid JSON");
  }

  @Test
  void anEmptyCheckPassesEverything() {
    OutputCheck check = OutputCheck.builder().build();
    assertThat(check.isEmpty()).isTrue();
    assertThat(check.problems("")).isEmpty();
  }

  @Test
  void badSettingsFailWhereTheyAreGiven() {
    assertThatThrownBy(() -> OutputCheck.builder().regex("("))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("regex is not a valid pattern");
    assertThatThrownBy(() -> OutputCheck.builder().jsonSchema(Json.tree("[1]")))
        .hasMessageContaining("json-schema must be a JSON schema object");
    assertThatThrownBy(() -> OutputCheck.builder().contains(""))
        .hasMessageContaining("contains lists an empty text");
  }
}
