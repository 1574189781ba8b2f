package dev.bridle.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.evaluation.ArgumentMatcher;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.evaluation.OutputCheck;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.model.ScriptTurn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads one case object (defaults already merged in) into an {@link EvalCase}. */
final class CaseReader {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,80}");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,40}");

  static final Set<String> CASE_KEYS =
      Set.of(
          "id",
          "tags",
          "description",
          "task",
          "fixtures",
          "script",
          "human",
          "expect",
          "scripted-only");
  private static final Set<String> EXPECT_KEYS =
      Set.of("outcome", "tool-calls", "no-calls", "output", "max-steps", "max-cost-usd", "graded");
  private static final Set<String> CALL_KEYS = Set.of("tool", "args", "status");
  private static final Set<String> OUTPUT_KEYS =
      Set.of("contains", "not-contains", "regex", "json-schema");
  private static final Set<String> TURN_KEYS = Set.of("say", "call", "args", "raw-args", "calls");
  private static final Set<String> SCRIPT_CALL_KEYS = Set.of("tool", "args", "raw-args");
  private static final Set<String> ANSWER_KEYS = Set.of("tool", "decision", "arguments", "comment");

  private CaseReader() {}

  /** The case's id, checked, before anything else is read (errors then name the case). */
  static String id(JsonNode node, SuitePlace place, String at) {
    String key = at.isEmpty() ? "id" : at + ".id";
    JsonNode id = node.get("id");
    if (id == null || id.isNull()) {
      throw place.problem(key, "missing required key 'id'");
    }
    if (!id.isTextual() || !ID.matcher(id.asText()).matches()) {
      throw place.problem(
          key, "a case id is 1 to 80 letters, digits, '.', '_' or '-', but was " + quoted(id));
    }
    return id.asText();
  }

  static EvalCase read(JsonNode node, SuitePlace file) {
    if (!node.isObject()) {
      throw file.problem("cases", "a case is a mapping of keys, but was " + type(node));
    }
    String id = id(node, file, "");
    SuitePlace place = file.inCase(id);
    unknownKeys(node, CASE_KEYS, place, "");
    return new EvalCase(
        id,
        tags(node.get("tags"), place),
        optionalText(node, "description", place).orElse(""),
        task(node.get("task"), place),
        fixtures(node.get("fixtures"), place),
        script(node.get("script"), place),
        human(node.get("human"), place),
        expectations(node.get("expect"), place),
        scriptedOnly(node.get("scripted-only"), place));
  }

  private static boolean scriptedOnly(JsonNode value, SuitePlace place) {
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw place.problem(
          "scripted-only",
          "scripted-only is true (the case tests Bridle against its script's misbehaviour and is"
              + " not run with a real model) or false, but was "
              + quoted(value));
    }
    return value.booleanValue();
  }

  private static List<String> tags(JsonNode tags, SuitePlace place) {
    if (tags == null || tags.isNull() || (tags.isArray() && tags.isEmpty())) {
      throw place.problem(
          "tags",
          "a case needs at least one tag (normal, ambiguous, missing-data, failed-tool,"
              + " conflicting-instruction, unsafe-action, malformed-output, or your own)");
    }
    if (!tags.isArray()) {
      throw place.problem("tags", "tags is a list, e.g. [normal], but was " + type(tags));
    }
    Set<String> checked = new LinkedHashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      JsonNode tag = tags.get(i);
      if (!tag.isTextual() || !TAG.matcher(tag.asText()).matches()) {
        throw place.problem(
            "tags[" + i + "]",
            "a tag is 1 to 40 letters, digits, '.', '_' or '-', but was " + quoted(tag));
      }
      checked.add(tag.asText());
    }
    return List.copyOf(checked);
  }

  private static String task(JsonNode task, SuitePlace place) {
    if (task == null || task.isNull()) {
      throw place.problem("task", "missing required key 'task': what the agent is asked to do");
    }
    if (!task.isTextual() || task.asText().isBlank()) {
      throw place.problem("task", "the task is non-empty text, but was " + quoted(task));
    }
    return task.asText();
  }

  private static JsonNode fixtures(JsonNode fixtures, SuitePlace place) {
    if (fixtures == null || fixtures.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!fixtures.isObject()) {
      throw place.problem(
          "fixtures",
          "fixtures is a mapping of tool provider names to their data, but was " + type(fixtures));
    }
    fixtures
        .fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isObject()) {
                throw place.problem(
                    "fixtures." + field.getKey(),
                    "a provider's fixtures are a mapping (its documented shape), but were "
                        + type(field.getValue()));
              }
            });
    return fixtures;
  }

  // ---- script ----

  static List<ScriptTurn> script(JsonNode script, SuitePlace place) {
    if (script == null || script.isNull()) {
      return List.of();
    }
    if (!script.isArray()) {
      throw place.problem("script", "script is a list of turns, but was " + type(script));
    }
    List<ScriptTurn> turns = new ArrayList<>();
    for (int i = 0; i < script.size(); i++) {
      turns.add(turn(script.get(i), place, "script[" + i + "]"));
    }
    return turns;
  }

  private static ScriptTurn turn(JsonNode turn, SuitePlace place, String key) {
    if (!turn.isObject()) {
      throw place.problem(
          key, "a script turn is a mapping (say, call or calls), but was " + type(turn));
    }
    unknownKeys(turn, TURN_KEYS, place, key);
    int forms =
        (turn.has("say") ? 1 : 0) + (turn.has("call") ? 1 : 0) + (turn.has("calls") ? 1 : 0);
    if (forms != 1) {
      throw place.problem(
          key, "a script turn needs exactly one of 'say', 'call' (with 'args') or 'calls'");
    }
    if (turn.has("say")) {
      if (turn.has("args") || turn.has("raw-args")) {
        throw place.problem(key, "'args' and 'raw-args' belong to 'call'");
      }
      return new ScriptTurn.Answer(answer(turn.get("say"), place, key + ".say"));
    }
    if (turn.has("call")) {
      String tool = text(turn.get("call"), place, key + ".call");
      return new ScriptTurn.Calls(List.of(new ScriptTurn.Call(tool, arguments(turn, place, key))));
    }
    if (turn.has("args") || turn.has("raw-args")) {
      throw place.problem(key, "'args' and 'raw-args' belong to each entry of 'calls'");
    }
    JsonNode calls = turn.get("calls");
    if (!calls.isArray() || calls.isEmpty()) {
      throw place.problem(key + ".calls", "'calls' is a non-empty list of {tool, args}");
    }
    List<ScriptTurn.Call> list = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      String at = key + ".calls[" + i + "]";
      JsonNode call = calls.get(i);
      if (!call.isObject()) {
        throw place.problem(at, "a call is a mapping {tool, args}, but was " + type(call));
      }
      unknownKeys(call, SCRIPT_CALL_KEYS, place, at);
      if (!call.has("tool")) {
        throw place.problem(at, "missing required key 'tool'");
      }
      list.add(
          new ScriptTurn.Call(
              text(call.get("tool"), place, at + ".tool"), arguments(call, place, at)));
    }
    return new ScriptTurn.Calls(list);
  }

  /**
   * A {@code say:} text; it may be empty, as a model's answer may be (the run then fails: the model
   * answered with neither text nor a tool call), as in a workflow file's script.
   */
  private static String answer(JsonNode say, SuitePlace place, String key) {
    if (say == null || say.isNull()) {
      throw place.problem(
          key, "say has no value; write the answer's text, or say: \"\" to play an empty answer");
    }
    if (!say.isTextual()) {
      throw place.problem(key, "say is the answer's text, but was " + type(say));
    }
    return say.asText();
  }

  private static JsonNode arguments(JsonNode call, SuitePlace place, String key) {
    JsonNode args = call.get("args");
    JsonNode raw = call.get("raw-args");
    if (args != null && raw != null) {
      throw place.problem(key, "give 'args' or 'raw-args', not both");
    }
    if (raw != null) {
      if (!raw.isTextual()) {
        throw place.problem(
            key + ".raw-args", "raw-args is text sent verbatim, but was " + type(raw));
      }
      return TextNode.valueOf(raw.asText());
    }
    if (args == null || args.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!args.isObject()) {
      throw place.problem(
          key + ".args", "args is a mapping of argument names to values, but was " + type(args));
    }
    return args;
  }

  // ---- human ----

  private static SimulatedHuman human(JsonNode human, SuitePlace place) {
    if (human == null || human.isNull()) {
      return new SimulatedHuman.None();
    }
    if (human.isTextual()) {
      return switch (human.asText()) {
        case "none" -> new SimulatedHuman.None();
        case "approve-all" -> new SimulatedHuman.ApproveAll();
        case "reject-all" -> new SimulatedHuman.RejectAll();
        default ->
            throw place.problem(
                "human",
                "unknown human '"
                    + human.asText()
                    + "'; use none, approve-all, reject-all, or a list of {tool, decision}");
      };
    }
    if (!human.isArray()) {
      throw place.problem(
          "human", "human is none, approve-all, reject-all or a list, but was " + type(human));
    }
    List<SimulatedHuman.Answer> answers = new ArrayList<>();
    for (int i = 0; i < human.size(); i++) {
      String key = "human[" + i + "]";
      JsonNode entry = human.get(i);
      if (!entry.isObject()) {
        throw place.problem(key, "an answer is a mapping {tool, decision}, but was " + type(entry));
      }
      unknownKeys(entry, ANSWER_KEYS, place, key);
      if (!entry.has("tool")) {
        throw place.problem(key, "missing required key 'tool'");
      }
      if (!entry.has("decision")) {
        throw place.problem(key, "missing required key 'decision' (approve, reject or edit)");
      }
      String tool = text(entry.get("tool"), place, key + ".tool");
      String decisionText = text(entry.get("decision"), place, key + ".decision");
      Decision decision =
          switch (decisionText) {
            case "approve" -> Decision.APPROVE;
            case "reject" -> Decision.REJECT;
            case "edit" -> Decision.EDIT;
            default ->
                throw place.problem(
                    key + ".decision",
                    "unknown decision '" + decisionText + "'; use approve, reject or edit");
          };
      Optional<String> comment = optionalText(entry, "comment", place, key + ".comment");
      try {
        answers.add(
            new SimulatedHuman.Answer(
                tool, decision, Optional.ofNullable(entry.get("arguments")), comment.orElse("")));
      } catch (IllegalArgumentException e) {
        throw place.problem(key, e.getMessage(), e);
      }
    }
    return new SimulatedHuman.PerTool(answers);
  }

  // ---- expectations ----

  private static Expectations expectations(JsonNode expect, SuitePlace place) {
    if (expect == null || expect.isNull()) {
      throw place.problem(
          "expect",
          "the case expects nothing; add 'expect' (outcome, tool-calls, no-calls, output,"
              + " max-steps, max-cost-usd, graded) here or under 'defaults'");
    }
    if (!expect.isObject()) {
      throw place.problem("expect", "expect is a mapping, but was " + type(expect));
    }
    unknownKeys(expect, EXPECT_KEYS, place, "expect");
    Expectations expectations =
        new Expectations(
            outcome(expect.get("outcome"), place),
            toolCalls(expect.get("tool-calls"), place),
            textList(expect.get("no-calls"), place, "expect.no-calls"),
            output(expect.get("output"), place),
            maxSteps(expect.get("max-steps"), place),
            maxCost(expect.get("max-cost-usd"), place),
            optionalText(expect, "graded", place, "expect.graded"));
    if (expectations.isEmpty()) {
      throw place.problem("expect", "the case expects nothing; name at least one expectation");
    }
    return expectations;
  }

  private static Optional<RunClassification.Outcome> outcome(JsonNode outcome, SuitePlace place) {
    if (outcome == null || outcome.isNull()) {
      return Optional.empty();
    }
    String text = text(outcome, place, "expect.outcome");
    return Optional.of(
        RunClassification.Outcome.fromKey(text)
            .orElseThrow(
                () ->
                    place.problem(
                        "expect.outcome",
                        "unknown outcome '"
                            + text
                            + "'; outcomes are "
                            + Arrays.stream(RunClassification.Outcome.values())
                                .map(RunClassification.Outcome::key)
                                .collect(Collectors.joining(", ")))));
  }

  private static List<ExpectedCall> toolCalls(JsonNode calls, SuitePlace place) {
    if (calls == null || calls.isNull()) {
      return List.of();
    }
    if (!calls.isArray()) {
      throw place.problem(
          "expect.tool-calls",
          "tool-calls is a list of {tool, args, status}, but was " + type(calls));
    }
    List<ExpectedCall> expected = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      String key = "expect.tool-calls[" + i + "]";
      JsonNode call = calls.get(i);
      if (!call.isObject()) {
        throw place.problem(
            key, "an expected call is a mapping {tool, args, status}, but was " + type(call));
      }
      unknownKeys(call, CALL_KEYS, place, key);
      if (!call.has("tool")) {
        throw place.problem(key, "missing required key 'tool'");
      }
      String tool = text(call.get("tool"), place, key + ".tool");
      Map<String, ArgumentMatcher> args;
      JsonNode argsNode = call.get("args");
      try {
        args =
            argsNode == null || argsNode.isNull()
                ? Map.of()
                : ArgumentMatcher.ofArguments(argsNode);
      } catch (IllegalArgumentException e) {
        throw place.problem(key + ".args", e.getMessage(), e);
      }
      List<ObservedCall.Status> statuses = statuses(call.get("status"), place, key + ".status");
      expected.add(new ExpectedCall(tool, args, statuses));
    }
    return expected;
  }

  /** {@code status: executed} or {@code status: [asked, rejected]} (any of them); empty: any. */
  private static List<ObservedCall.Status> statuses(JsonNode status, SuitePlace place, String key) {
    if (status == null || status.isNull()) {
      return List.of();
    }
    if (status.isArray()) {
      if (status.isEmpty()) {
        throw place.problem(
            key,
            "status is a status or a non-empty list of them (any of them), e.g. [asked, rejected]");
      }
      List<ObservedCall.Status> statuses = new ArrayList<>();
      for (int i = 0; i < status.size(); i++) {
        statuses.add(status(status.get(i), place, key + "[" + i + "]"));
      }
      return statuses;
    }
    if (!status.isTextual()) {
      throw place.problem(
          key,
          "status is a status or a list of them (any of them), e.g. executed or [asked, rejected],"
              + " but was "
              + type(status));
    }
    return List.of(status(status, place, key));
  }

  private static ObservedCall.Status status(JsonNode node, SuitePlace place, String key) {
    String text = text(node, place, key);
    return ObservedCall.Status.fromKey(text)
        .orElseThrow(
            () ->
                place.problem(
                    key,
                    "unknown status '"
                        + text
                        + "'; statuses are "
                        + Arrays.stream(ObservedCall.Status.values())
                            .map(ObservedCall.Status::key)
                            .collect(Collectors.joining(", "))));
  }

  private static Optional<OutputCheck> output(JsonNode output, SuitePlace place) {
    if (output == null || output.isNull()) {
      return Optional.empty();
    }
    if (!output.isObject()) {
      throw place.problem(
          "expect.output", "output is a mapping of checks, but was " + type(output));
    }
    unknownKeys(output, OUTPUT_KEYS, place, "expect.output");
    OutputCheck.Builder check = OutputCheck.builder();
    String key = "expect.output";
    try {
      key = "expect.output.contains";
      check.contains(textOrList(output.get("contains"), place, key).toArray(String[]::new));
      key = "expect.output.not-contains";
      check.notContains(textOrList(output.get("not-contains"), place, key).toArray(String[]::new));
      key = "expect.output.regex";
      if (output.hasNonNull("regex")) {
        check.regex(text(output.get("regex"), place, key));
      }
      key = "expect.output.json-schema";
      if (output.hasNonNull("json-schema")) {
        check.jsonSchema(output.get("json-schema"));
      }
    } catch (IllegalArgumentException e) {
      throw place.problem(key, e.getMessage(), e);
    }
    OutputCheck built = check.build();
    if (built.isEmpty()) {
      throw place.problem(
          "expect.output",
          "output checks nothing; give contains, not-contains, regex or json-schema");
    }
    return Optional.of(built);
  }

  private static Optional<Integer> maxSteps(JsonNode value, SuitePlace place) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
      throw place.problem(
          "expect.max-steps",
          "max-steps is a whole number of at least 1, but was " + quoted(value));
    }
    return Optional.of(value.asInt());
  }

  private static Optional<BigDecimal> maxCost(JsonNode value, SuitePlace place) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isNumber() || value.decimalValue().signum() < 0) {
      throw place.problem(
          "expect.max-cost-usd",
          "max-cost-usd is a number of dollars, 0 or more, but was " + quoted(value));
    }
    return Optional.of(value.decimalValue());
  }

  // ---- values ----

  static void unknownKeys(JsonNode node, Set<String> known, SuitePlace place, String key) {
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw place.problem(
                    key.isEmpty() ? name : key + "." + name,
                    "unknown key '"
                        + name
                        + "'"
                        + (key.isEmpty() ? "" : " in '" + key + "'")
                        + "; known keys here: "
                        + String.join(", ", new TreeSet<>(known)));
              }
            });
  }

  private static String text(JsonNode node, SuitePlace place, String key) {
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw place.problem(key, "expected non-empty text, but was " + quoted(node));
    }
    return node.asText();
  }

  private static Optional<String> optionalText(JsonNode parent, String name, SuitePlace place) {
    return optionalText(parent, name, place, name);
  }

  private static Optional<String> optionalText(
      JsonNode parent, String name, SuitePlace place, String key) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(text(value, place, key));
  }

  private static List<String> textList(JsonNode node, SuitePlace place, String key) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw place.problem(key, "expected a list of names, but was " + type(node));
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      values.add(text(node.get(i), place, key + "[" + i + "]"));
    }
    return values;
  }

  private static List<String> textOrList(JsonNode node, SuitePlace place, String key) {
    if (node != null && node.isTextual()) {
      return List.of(node.asText());
    }
    return textList(node, place, key);
  }

  static String type(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      case STRING -> "text";
      case NUMBER -> "a number";
      case BOOLEAN -> "true/false";
      case NULL -> "empty";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static String quoted(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "empty";
    }
    String text = node.isTextual() ? "'" + node.asText() + "'" : node.toString();
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
