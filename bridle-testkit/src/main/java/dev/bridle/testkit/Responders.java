package dev.bridle.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Ready-made stateless {@link Responder}s. */
public final class Responders {

  /** The text the built-in responders finish with. */
  public static final String DONE = "done";

  private Responders() {}

  /** Always answers {@code text}. */
  public static Responder text(String text) {
    FakeReply reply = FakeReply.text(text);
    return requestBody -> reply;
  }

  /**
   * The benchmark agent: while the conversation has fewer than {@code steps} assistant messages
   * with tool calls, it calls the first offered tool with {@code {"n": <that count>}}; then, or
   * when no tool is offered, it answers {@value #DONE}.
   */
  public static Responder noopSteps(int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must not be negative, but was " + steps);
    }
    return requestBody -> {
      Conversation conversation = Conversation.of(requestBody);
      int done = conversation.toolCallTurns();
      List<String> tools = conversation.offeredToolNames();
      if (done >= steps || tools.isEmpty()) {
        return FakeReply.text(DONE);
      }
      ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("n", done);
      return FakeReply.toolCall(tools.getFirst(), arguments);
    };
  }

  /**
   * Plays {@code turns} in order: answers turn {@code k} where {@code k} is the number of assistant
   * messages already in the request. Past the end it keeps answering the last text turn of the
   * script, or {@value #DONE} when the script has none.
   */
  public static Responder script(List<FakeReply> turns) {
    List<FakeReply> script = List.copyOf(turns);
    FakeReply afterTheEnd =
        script.reversed().stream()
            .filter(FakeReply.Text.class::isInstance)
            .findFirst()
            .orElse(FakeReply.text(DONE));
    return requestBody -> {
      int turn = Conversation.of(requestBody).assistantTurns();
      return turn < script.size() ? script.get(turn) : afterTheEnd;
    };
  }
}
