package dev.bridle.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.internal.Json;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code expect.graded}: a grader model judges the final answer against the case's rubric and
 * replies {@code {"pass": true|false, "reason": "..."}}. A reply in any other shape fails the case
 * and says what came back.
 */
final class GradedScorer implements Scorer {

  static final String NAME = "graded";

  static final String INSTRUCTIONS =
      "You grade the final answer of an AI agent against a rubric. Judge only what the rubric"
          + " asks. Reply with one JSON object and nothing else: {\"pass\": true or false,"
          + " \"reason\": \"one sentence\"}.";

  private static final Pattern FENCE =
      Pattern.compile(
          "\\A\\s*```[A-Za-z0-9_-]*[ \\t]*\\R(.*?)\\R?[ \\t]*```\\s*\\z", Pattern.DOTALL);

  private final ChatModel grader;

  GradedScorer(ChatModel grader) {
    this.grader = Objects.requireNonNull(grader, "grader");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Score> score(CaseRun run) {
    return run.evalCase().expect().graded().map(rubric -> grade(rubric, run));
  }

  private Score grade(String rubric, CaseRun run) {
    Optional<String> answer = run.answer();
    if (answer.isEmpty()) {
      return Score.fail(
          NAME, "the run gave no final answer to grade (" + run.result().outcome().message() + ")");
    }
    ModelResponse response;
    try {
      response =
          grader.chat(
              new ModelRequest(
                  List.of(
                      new ChatMessage.System(INSTRUCTIONS),
                      new ChatMessage.User(prompt(rubric, run, answer.get()))),
                  List.of()));
    } catch (RuntimeException e) {
      return Score.fail(NAME, "the grader model " + grader.id() + " failed: " + e.getMessage());
    }
    String reply = response.message().text();
    JsonNode verdict;
    try {
      verdict = Json.MAPPER.readTree(unfenced(reply));
    } catch (JsonProcessingException e) {
      verdict = null;
    }
    if (verdict == null
        || !verdict.isObject()
        || !verdict.path("pass").isBoolean()
        || !verdict.path("reason").isTextual()) {
      return Score.fail(
          NAME,
          "the grader's reply is not {\"pass\": true|false, \"reason\": \"...\"}: "
              + (reply.isBlank() ? "(empty)" : Timeline.abbreviate(reply, 300)));
    }
    String reason = verdict.get("reason").asText();
    return new Score(
        NAME, verdict.get("pass").booleanValue(), "grader " + grader.id() + ": " + reason);
  }

  static String prompt(String rubric, CaseRun run, String answer) {
    StringBuilder text = new StringBuilder();
    text.append("Rubric:\n").append(rubric.strip()).append("\n\n");
    text.append("The agent's task:\n").append(run.evalCase().task().strip()).append("\n\n");
    text.append("The tool calls it made:\n");
    if (run.calls().isEmpty()) {
      text.append("(none)\n");
    }
    for (ObservedCall call : run.calls()) {
      text.append("- ")
          .append(call.tool())
          .append(' ')
          .append(Timeline.abbreviate(call.arguments(), 400))
          .append(" → ")
          .append(
              call.statuses().isEmpty()
                  ? "proposed"
                  : String.join(
                      ", ", call.statuses().stream().map(ObservedCall.Status::key).toList()))
          .append('\n');
    }
    text.append("\nIts final answer:\n").append(answer.strip());
    return text.toString();
  }

  private static String unfenced(String text) {
    Matcher fenced = FENCE.matcher(text);
    return fenced.matches() ? fenced.group(1) : text.strip();
  }
}
