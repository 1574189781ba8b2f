package dev.bridle.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** One canned answer of a {@link ScriptedChatModel}. */
public sealed interface ScriptTurn {

  /** A final text answer. */
  record Answer(String text) implements ScriptTurn {
    public Answer {
      Objects.requireNonNull(text, "text");
    }
  }

  /** One or more tool calls, in order. */
  record Calls(List<Call> calls) implements ScriptTurn {
    public Calls {
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("a scripted turn needs at least one call");
      }
    }
  }

  /**
   * One scripted tool call. {@code arguments} is sent as its JSON text; the string {@code {{task}}}
   * anywhere in a string value is replaced by the run's task. A textual {@code arguments} node is
   * sent verbatim as the arguments text, to play malformed model output (a script's {@code
   * raw-args}).
   */
  record Call(String tool, JsonNode arguments) {
    public Call {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(arguments, "arguments");
    }
  }
}
