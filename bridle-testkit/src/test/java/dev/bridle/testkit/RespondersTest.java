package dev.bridle.testkit;

import static dev.bridle.testkit.ChatCompletionsClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespondersTest {

  @Test
  void noopStepsCallsTheFirstOfferedToolWithTheNumberOfEarlierToolCallTurns() {
    Responder responder = Responders.noopSteps(3);

    assertThat(responder.respond(request("m", 0, "noop", "other")))
        .isEqualTo(FakeReply.rawToolCall("noop", "{\"n\":0}"));
    assertThat(responder.respond(request("m", 2, "noop", "other")))
        .isEqualTo(FakeReply.rawToolCall("noop", "{\"n\":2}"));
    assertThat(responder.respond(request("m", 3, "noop"))).isEqualTo(FakeReply.text("done"));
  }

  @Test
  void noopStepsAnswersDoneWhenNoToolIsOffered() {
    assertThat(Responders.noopSteps(5).respond(request("m", 0))).isEqualTo(FakeReply.text("done"));
  }

  @Test
  void noopStepsRefusesANegativeStepCount() {
    assertThatThrownBy(() -> Responders.noopSteps(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps must not be negative, but was -1");
  }

  @Test
  void scriptAnswersTheTurnMatchingTheNumberOfAssistantMessages() {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("q", "x");
    Responder responder =
        Responders.script(
            List.of(
                FakeReply.toolCall("search", arguments),
                FakeReply.text("first answer"),
                FakeReply.rawToolCall("search", "{}")));

    assertThat(responder.respond(request("m", 0)))
        .isEqualTo(FakeReply.rawToolCall("search", "{\"q\":\"x\"}"));
    assertThat(responder.respond(request("m", 1))).isEqualTo(FakeReply.text("first answer"));
    assertThat(responder.respond(request("m", 2))).isEqualTo(FakeReply.rawToolCall("search", "{}"));
    assertThat(responder.respond(request("m", 3))).isEqualTo(FakeReply.text("first answer"));
    assertThat(responder.respond(request("m", 7))).isEqualTo(FakeReply.text("first answer"));
  }

  @Test
  void scriptCountsPlainTextAssistantMessagesToo() {
    ObjectNode body = request("m", 0);
    ArrayNode messages = (ArrayNode) body.get("messages");
    messages.addObject().put("role", "assistant").put("content", "hello");
    messages.addObject().put("role", "user").put("content", "again");

    Responder responder = Responders.script(List.of(FakeReply.text("one"), FakeReply.text("two")));

    assertThat(responder.respond(body)).isEqualTo(FakeReply.text("two"));
  }

  @Test
  void scriptWithoutATextTurnFinishesWithDone() {
    Responder responder = Responders.script(List.of(FakeReply.rawToolCall("search", "{}")));

    assertThat(responder.respond(request("m", 1))).isEqualTo(FakeReply.text("done"));
    assertThat(Responders.script(List.of()).respond(request("m", 0)))
        .isEqualTo(FakeReply.text("done"));
  }

  @Test
  void toolCallsReplyNeedsAtLeastOneCall() {
    assertThatThrownBy(() -> FakeReply.toolCalls(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one call");
  }
}
