package dev.bridle.eval;

import dev.bridle.core.evaluation.ArgumentMatcher;
import dev.bridle.core.evaluation.ObservedCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call a case expects ({@code expect.tool-calls[]}): the tool, matchers for the arguments it
 * names, and optionally what must have happened to the call.
 *
 * @param status the statuses the suite's {@code status:} names, one or a list: the call must have
 *     any one of them (a call can have several: asked, then executed); empty when it may have any
 */
public record ExpectedCall(
    String tool, Map<String, ArgumentMatcher> args, List<ObservedCall.Status> status) {

  public ExpectedCall {
    Objects.requireNonNull(tool, "tool");
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    status = List.copyOf(new LinkedHashSet<>(status));
  }

  /** Why {@code call} is not this expected call; empty when it is. */
  public List<String> problems(ObservedCall call) {
    List<String> problems = new ArrayList<>();
    if (!call.tool().equals(tool)) {
      problems.add("it called " + call.tool() + ", not " + tool);
      return problems;
    }
    problems.addAll(ArgumentMatcher.mismatches(call.argumentsTree(), args));
    if (!status.isEmpty() && status.stream().noneMatch(call.statuses()::contains)) {
      problems.add(
          "status: expected "
              + describeStatuses()
              + ", but it was "
              + (call.statuses().isEmpty()
                  ? "only proposed"
                  : String.join(
                      ", ", call.statuses().stream().map(ObservedCall.Status::key).toList())));
    }
    return problems;
  }

  /** {@code executed}, or {@code asked or rejected}. */
  private String describeStatuses() {
    List<String> keys = status.stream().map(ObservedCall.Status::key).toList();
    return keys.size() == 1
        ? keys.getFirst()
        : String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.getLast();
  }

  /** {@code update_lead_bio(bio contains 'baker') executed}, {@code ... asked or rejected}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    args.forEach((name, matcher) -> parts.add(name + " " + matcher.describe()));
    return tool
        + (parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")")
        + (status.isEmpty() ? "" : " " + describeStatuses());
  }
}
