package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One call of an AgentDojo function as the data set writes it: {@code {"function": ..., "args":
 * {...}}}.
 *
 * @param function the tool name
 * @param args the arguments object (a private copy; never changed after construction)
 */
record FunctionCall(String function, ObjectNode args) {

  FunctionCall {
    Objects.requireNonNull(function, "function");
    args = Objects.requireNonNull(args, "args").deepCopy();
  }

  /** Whether {@code other} is the same call: same function, same argument values. */
  boolean sameCallAs(FunctionCall other) {
    return CallKey.of(this).equals(CallKey.of(other));
  }

  @Override
  public ObjectNode args() {
    return args.deepCopy();
  }
}
