package dev.bridle.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model that plays a script: turn <i>k</i> answers the request that already holds <i>k</i>
 * assistant messages. It calls no LLM, costs nothing and is fully deterministic, which makes it the
 * model for tests, demos without an API key and benchmarks of Bridle's own overhead. Its id starts
 * with {@code scripted:} so nobody mistakes its output for a real model's.
 */
public final class ScriptedChatModel implements ChatModel {

  private final String id;
  private final List<ScriptTurn> turns;

  private ScriptedChatModel(String id, List<ScriptTurn> turns) {
    this.id = id;
    this.turns = List.copyOf(turns);
  }

  public static ScriptedChatModel of(String name, List<ScriptTurn> turns) {
    Objects.requireNonNull(name, "name");
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("a script needs at least one turn");
    }
    return new ScriptedChatModel("scripted:" + name, turns);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  public List<ScriptTurn> turns() {
    return turns;
  }

  @Override
  public ModelResponse chat(ModelRequest request) {
    int turn = countAssistantMessages(request.messages());
    if (turn >= turns.size()) {
      throw new ModelException(
          ModelException.Kind.MALFORMED_RESPONSE,
          "scripted model: the script has "
              + turns.size()
              + " turns and the run asked for turn "
              + (turn + 1),
          null);
    }
    ChatMessage.Assistant message =
        switch (turns.get(turn)) {
          case ScriptTurn.Answer answer -> ChatMessage.Assistant.text(answer.text());
          case ScriptTurn.Calls calls -> toolCalls(turn, calls, taskOf(request.messages()));
        };
    return new ModelResponse(message, Usage.ZERO, id);
  }

  private static ChatMessage.Assistant toolCalls(int turn, ScriptTurn.Calls calls, String task) {
    List<ToolCall> toolCalls = new ArrayList<>(calls.calls().size());
    for (int i = 0; i < calls.calls().size(); i++) {
      ScriptTurn.Call call = calls.calls().get(i);
      String arguments =
          call.arguments().isTextual()
              ? call.arguments().asText()
              : Json.write(substitute(call.arguments(), task));
      toolCalls.add(new ToolCall("call_" + (turn + 1) + "_" + (i + 1), call.tool(), arguments));
    }
    return new ChatMessage.Assistant("", toolCalls);
  }

  private static JsonNode substitute(JsonNode node, String task) {
    if (node.isTextual() && node.asText().contains("{{task}}")) {
      return TextNode.valueOf(node.asText().replace("{{task}}", task));
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), substitute(field.getValue(), task));
      }
      return copy;
    }
    return node;
  }

  private static int countAssistantMessages(List<ChatMessage> messages) {
    int count = 0;
    for (ChatMessage message : messages) {
      if (message instanceof ChatMessage.Assistant) {
        count++;
      }
    }
    return count;
  }

  private static String taskOf(List<ChatMessage> messages) {
    for (ChatMessage message : messages) {
      if (message instanceof ChatMessage.User user) {
        return user.text();
      }
    }
    return "";
  }

  /** Builds a script turn by turn. */
  public static final class Builder {
    private final List<ScriptTurn> turns = new ArrayList<>();
    private String name = "test";

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A turn with one tool call; {@code arguments} is any value Jackson can turn into JSON. */
    public Builder thenCall(String tool, Object arguments) {
      return thenCalls(call(tool, arguments));
    }

    /** A turn with several tool calls, made in order. */
    public Builder thenCalls(ScriptTurn.Call... calls) {
      turns.add(new ScriptTurn.Calls(List.of(calls)));
      return this;
    }

    public Builder thenAnswer(String text) {
      turns.add(new ScriptTurn.Answer(text));
      return this;
    }

    public static ScriptTurn.Call call(String tool, Object arguments) {
      return new ScriptTurn.Call(tool, Json.MAPPER.valueToTree(arguments));
    }

    public ScriptedChatModel build() {
      return of(name, turns);
    }
  }
}
