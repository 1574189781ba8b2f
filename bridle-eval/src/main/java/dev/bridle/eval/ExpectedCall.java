package dev.bridle.eval;

import dev.bridle.core.evaluation.ArgumentMatcher;
import dev.bridle.core.evaluation.ObservedCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call a case expects ({@code expect.tool-calls[]}): the tool, matchers for the arguments it
 * names, and optionally what must have happened to the call.
 */
public record ExpectedCall(
    String tool, Map<String, ArgumentMatcher> args, Optional<ObservedCall.Status> status) {

  public ExpectedCall {
    Objects.requireNonNull(tool, "tool");
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    Objects.requireNonNull(status, "status");
  }

  /** Why {@code call} is not this expected call; empty when it is. */
  public List<String> problems(ObservedCall call) {
    List<String> problems = new ArrayList<>();
    if (!call.tool().equals(tool)) {
      problems.add("it called " + call.tool() + ", not " + tool);
      return problems;
    }
    problems.addAll(ArgumentMatcher.mismatches(call.argumentsTree(), args));
    status
        .filter(s -> !call.statuses().contains(s))
        .ifPresent(
            s ->
                problems.add(
                    "status: expected "
                        + s.key()
                        + ", but it was "
                        + (call.statuses().isEmpty()
                            ? "only proposed"
                            : String.join(
                                ", ",
                                call.statuses().stream().map(ObservedCall.Status::key).toList()))));
    return problems;
  }

  /** {@code update_lead_bio(bio contains 'baker') executed}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    args.forEach((name, matcher) -> parts.add(name + " " + matcher.describe()));
    return tool
        + (parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")")
        + status.map(s -> " " + s.key()).orElse("");
  }
}
