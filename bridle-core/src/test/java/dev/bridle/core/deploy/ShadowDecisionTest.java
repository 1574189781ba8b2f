package dev.bridle.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a person writes down what they did, and the errors that say where it is wrong. */
class ShadowDecisionTest {

  @Test
  void noneInAnySpellingAndAnEmptyArrayMeanTheHumanDidNothing() {
    assertThat(ShadowDecision.parseCalls("none")).isEmpty();
    assertThat(ShadowDecision.parseCalls(" NONE ")).isEmpty();
    assertThat(ShadowDecision.parseCalls("\"none\"")).isEmpty();
    assertThat(ShadowDecision.parseCalls("[]")).isEmpty();
    assertThat(ShadowDecision.parseCalls("{\"calls\": []}")).isEmpty();
  }

  @Test
  void callsAreKeptWithNormalisedArguments() {
    List<HumanCall> calls =
        ShadowDecision.parseCalls(
            "[{\"tool\": \"set_bio\", \"arguments\": {\"lead\": \"L1\", \"n\": 2.50}},"
                + " {\"tool\": \"close\"}]");

    assertThat(calls)
        .containsExactly(
            new HumanCall("set_bio", "{\"lead\":\"L1\",\"n\":2.5}"), new HumanCall("close", "{}"));
    assertThat(calls.getFirst().arguments()).isEqualTo("{\"lead\":\"L1\",\"n\":2.5}");
    assertThat(new HumanCall("a", "{\"x\":1E+2, \"b\":[1.0, true, null]}").arguments())
        .isEqualTo("{\"b\":[1,true,null],\"x\":100}");
  }

  @Test
  void mistakesAreNamedWithWhereTheyAre() {
    assertThatThrownBy(() -> ShadowDecision.parseCalls("[{\"tool\": \"a\"}, {\"arguments\": {}}]"))
        .isInstanceOfSatisfying(
            DeploymentException.class,
            e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.INVALID))
        .hasMessage("decision[1].tool is required: the name of the tool the human used");
    assertThatThrownBy(
            () -> ShadowDecision.parseCalls("{\"calls\": [{\"tool\": \"a\", \"arguments\": 3}]}"))
        .hasMessage("decision.calls[0].arguments must be a JSON object, but was a JSON number");
    assertThatThrownBy(() -> ShadowDecision.parseCalls("[{\"tool\": \"a\", \"args\": {}}]"))
        .hasMessage("unknown field decision[0].args; a call has tool and arguments");
    assertThatThrownBy(() -> ShadowDecision.parseCalls("{\"call\": []}"))
        .hasMessage("unknown field decision.call; a decision object has only calls");
    assertThatThrownBy(() -> ShadowDecision.parseCalls("yes"))
        .hasMessageStartingWith("the decision is not JSON");
    assertThatThrownBy(() -> ShadowDecision.parseCalls("\"maybe\""))
        .hasMessage(
            "decision must be none or a JSON array of {tool, arguments}, but was a JSON string");
    assertThatThrownBy(() -> ShadowDecision.parseCalls("[{\"tool\": \"rm -rf\"}]"))
        .hasMessage("decision[0]: a tool name must match [A-Za-z0-9_.:-]{1,128}, but was 'rm -rf'");
    assertThatThrownBy(() -> ShadowDecision.parseCalls(" "))
        .hasMessageStartingWith("the decision is empty");
  }

  @Test
  void aDecisionListsAtMostOneHundredCalls() {
    String many =
        "[" + String.join(",", java.util.Collections.nCopies(101, "{\"tool\":\"a\"}")) + "]";

    assertThatThrownBy(() -> ShadowDecision.parseCalls(many))
        .hasMessage("decision may list at most 100 calls, but listed 101");
  }

  @Test
  void feedbackNeverShowsItsCommentWhenPrinted() {
    Feedback feedback =
        new Feedback(
            dev.bridle.core.journal.RunId.of("r1"),
            "crm",
            "1",
            2,
            "the customer's IBAN DE89 3704 0044 0532 0130 00 was wrong",
            "bob",
            Facts.T0);

    assertThat(feedback.toString()).doesNotContain("IBAN").contains("comment=(57 chars)");
    assertThatThrownBy(
            () ->
                new Feedback(
                    dev.bridle.core.journal.RunId.of("r1"), "crm", "1", 6, "", "bob", Facts.T0))
        .hasMessage("rating must be between 1 and 5 (1 bad, 5 good), but was 6");
    assertThatThrownBy(
            () ->
                new Feedback(
                    dev.bridle.core.journal.RunId.of("r1"),
                    "crm",
                    "1",
                    3,
                    "x".repeat(2_001),
                    "bob",
                    Facts.T0))
        .hasMessage("comment must be at most 2000 characters, but was 2001");
  }
}
