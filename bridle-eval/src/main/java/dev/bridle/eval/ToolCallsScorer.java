package dev.bridle.eval;

import dev.bridle.core.evaluation.ObservedCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code expect.tool-calls}: each expected call was made, in the order given, other calls allowed
 * between them. Each expected call takes the first matching call after the previous one's match.
 */
final class ToolCallsScorer implements Scorer {

  static final String NAME = "tool-calls";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    List<ExpectedCall> expected = run.evalCase().expect().toolCalls();
    if (expected.isEmpty()) {
      return Optional.empty();
    }
    List<ObservedCall> calls = run.calls();
    List<String> problems = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < expected.size(); i++) {
      ExpectedCall want = expected.get(i);
      int found = -1;
      for (int j = from; j < calls.size(); j++) {
        if (want.problems(calls.get(j)).isEmpty()) {
          found = j;
          break;
        }
      }
      if (found >= 0) {
        from = found + 1;
        continue;
      }
      problems.add(missing(i, want, calls, from));
    }
    if (problems.isEmpty()) {
      return Optional.of(
          Score.pass(
              NAME,
              expected.size()
                  + " expected call"
                  + (expected.size() == 1 ? "" : "s")
                  + " made in order"));
    }
    return Optional.of(Score.fail(NAME, String.join("\n", problems) + "\n" + made(calls)));
  }

  private static String missing(int index, ExpectedCall want, List<ObservedCall> calls, int from) {
    StringBuilder text =
        new StringBuilder("expected call ")
            .append(index + 1)
            .append(", ")
            .append(want.describe())
            .append(", was not made");
    if (from > 0) {
      text.append(" after call ")
          .append(from)
          .append(" (")
          .append(calls.get(from - 1).tool())
          .append(')');
    }
    List<String> near = new ArrayList<>();
    for (int j = from; j < calls.size(); j++) {
      ObservedCall call = calls.get(j);
      if (call.tool().equals(want.tool())) {
        near.add(
            "call "
                + (j + 1)
                + " of "
                + call.tool()
                + ": "
                + String.join("; ", want.problems(call)));
      }
    }
    boolean earlier =
        calls.subList(0, Math.min(from, calls.size())).stream()
            .anyMatch(c -> want.problems(c).isEmpty());
    if (!near.isEmpty()) {
      text.append(" (").append(String.join(" | ", near)).append(')');
    } else if (earlier) {
      text.append(" (a matching call came earlier, out of the expected order)");
    }
    return text.toString();
  }

  /** The calls made, one per line. */
  static String made(List<ObservedCall> calls) {
    if (calls.isEmpty()) {
      return "calls made: none";
    }
    StringBuilder text = new StringBuilder("calls made:");
    for (int j = 0; j < calls.size(); j++) {
      ObservedCall call = calls.get(j);
      text.append("\n  ")
          .append(j + 1)
          .append(". ")
          .append(call.tool())
          .append(' ')
          .append(Timeline.abbreviate(call.arguments(), 160))
          .append(" → ")
          .append(
              call.statuses().isEmpty()
                  ? "proposed"
                  : String.join(
                      ", ", call.statuses().stream().map(ObservedCall.Status::key).toList()));
    }
    return text.toString();
  }
}
