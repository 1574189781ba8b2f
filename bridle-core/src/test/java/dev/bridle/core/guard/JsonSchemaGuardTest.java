package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import org.junit.jupiter.api.Test;

class JsonSchemaGuardTest {

  private static final JsonNode SCHEMA =
      read(
          """
          {
            "type": "object",
            "properties": {
              "priority": {"enum": ["low", "normal", "high"]},
              "summary": {"type": "string", "maxLength": 40},
              "tags": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["priority", "summary"],
            "additionalProperties": false
          }
          """);

  private final JsonSchemaGuard guard = JsonSchemaGuard.of(SCHEMA);

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private GuardResult answer(String text) {
    return guard.check(GuardSubject.finalAnswer("triage", text));
  }

  @Test
  void aMatchingAnswerPasses() {
    assertThat(answer("{\"priority\":\"high\",\"summary\":\"printer on fire\",\"tags\":[\"hw\"]}"))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void anAnswerInOneCodeFencePasses() {
    assertThat(answer("```json\n{\"priority\":\"low\",\"summary\":\"typo\"}\n```"))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void violationsAreReaskedWithTheirPathsAndRules() {
    GuardResult result = answer("{\"priority\":\"urgent\",\"tags\":[1],\"extra\":true}");

    assertThat(result).isInstanceOf(GuardResult.Reask.class);
    String feedback = ((GuardResult.Reask) result).feedback();
    assertThat(feedback)
        .startsWith("Your answer is JSON but does not match the required schema:\n- ")
        .contains("$.priority", "(rule: enum)")
        .contains("summary", "(rule: required)")
        .contains("$.tags[0]", "(rule: type)")
        .contains("extra", "(rule: additionalProperties)")
        .endsWith("\nCorrect these and answer again with only the JSON value.");
  }

  @Test
  void invalidJsonIsReaskedWithLineAndColumn() {
    GuardResult result = answer("{\"priority\": \"low\",\n \"summary\": oops}");

    assertThat(result).isInstanceOf(GuardResult.Reask.class);
    assertThat(((GuardResult.Reask) result).feedback())
        .startsWith("Your answer is not valid JSON at line 2, column ")
        .endsWith("Answer with only the JSON value, matching the required schema.");
  }

  @Test
  void proseAroundTheJsonIsAnError() {
    assertThat(answer("Here you go: {\"priority\":\"low\",\"summary\":\"x\"}"))
        .isInstanceOf(GuardResult.Reask.class);
    assertThat(answer("{\"priority\":\"low\",\"summary\":\"x\"} hope this helps"))
        .isInstanceOf(GuardResult.Reask.class);
  }

  @Test
  void duplicateKeysAreAnError() {
    GuardResult result = answer("{\"priority\":\"low\",\"summary\":\"x\",\"priority\":\"high\"}");

    assertThat(((GuardResult.Reask) result).feedback()).contains("Duplicate field 'priority'");
  }

  @Test
  void anEmptyAnswerIsReasked() {
    assertThat(answer("  "))
        .isEqualTo(
            GuardResult.reask(
                "Your answer was empty. Answer with a JSON value that matches the required"
                    + " schema."));
  }

  @Test
  void textAlongsideToolCallsIsNotChecked() {
    assertThat(guard.check(GuardSubject.modelOutput("triage", "Let me look up the ticket.")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void aSchemaMustBeAnObject() {
    assertThatThrownBy(() -> JsonSchemaGuard.of(read("[1]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'json-schema': the schema must be a JSON object, but was ARRAY");
  }
}
