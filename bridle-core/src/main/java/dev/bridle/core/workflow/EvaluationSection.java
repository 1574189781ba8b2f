package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.evaluation.OutputCheck;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.run.ContinuousEvaluation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code evaluation:} section as written, bound by Jackson: continuous evaluation of a share of
 * the workflow's production runs (docs/evaluation.md, "Continuous evaluation"). {@link #toSettings}
 * checks it and names the line of a bad value; the checks mean what the same keys mean under a
 * suite case's {@code expect:}.
 */
record EvaluationSection(
    @JsonProperty(value = "sample", required = true) JsonNode sample,
    @JsonProperty(value = "checks", required = true) ChecksSection checks,
    @JsonProperty("refusal-markers") List<String> refusalMarkers) {

  record ChecksSection(
      @JsonProperty("outcome") JsonNode outcome,
      @JsonProperty("output") OutputSection output,
      @JsonProperty("max-steps") Integer maxSteps,
      @JsonProperty("max-cost-usd") BigDecimal maxCostUsd) {}

  record OutputSection(
      @JsonProperty("contains") JsonNode contains,
      @JsonProperty("not-contains") JsonNode notContains,
      @JsonProperty("regex") String regex,
      @JsonProperty("json-schema") JsonNode jsonSchema) {}

  private static final String CHECKS = "evaluation.checks";

  ContinuousEvaluation toSettings(SourceFile source) {
    ContinuousEvaluation.Builder online =
        ContinuousEvaluation.builder().sample(source.percentage("evaluation", "sample", sample));
    if (checks == null) {
      throw source.problem(
          CHECKS, "checks needs at least one of outcome, output, max-steps or max-cost-usd");
    }
    online.outcomes(outcomes(source, checks.outcome()));
    if (checks.output() != null) {
      online.output(output(source, checks.output()));
    }
    try {
      if (checks.maxSteps() != null) {
        online.maxSteps(checks.maxSteps());
      }
    } catch (ConfigurationException e) {
      throw source.problem(CHECKS + ".max-steps", e.getMessage());
    }
    try {
      if (checks.maxCostUsd() != null) {
        online.maxCostUsd(checks.maxCostUsd());
      }
    } catch (ConfigurationException e) {
      throw source.problem(CHECKS + ".max-cost-usd", e.getMessage());
    }
    if (refusalMarkers != null) {
      for (int i = 0; i < refusalMarkers.size(); i++) {
        if (refusalMarkers.get(i) == null || refusalMarkers.get(i).isBlank()) {
          throw source.problem(
              "evaluation.refusal-markers[" + i + "]",
              "a refusal marker is a phrase such as \"I can't\", but this entry is empty");
        }
      }
      online.refusalMarkers(refusalMarkers);
    }
    try {
      return online.build();
    } catch (ConfigurationException e) {
      throw source.problem(CHECKS, e.getMessage());
    }
  }

  /** {@code outcome: completed} or {@code outcome: [completed, clarification]}. */
  private static RunClassification.Outcome[] outcomes(SourceFile source, JsonNode outcome) {
    if (outcome == null || outcome.isNull()) {
      return new RunClassification.Outcome[0];
    }
    List<JsonNode> keys = new ArrayList<>();
    if (outcome.isArray()) {
      outcome.forEach(keys::add);
      if (keys.isEmpty()) {
        throw source.problem(
            CHECKS + ".outcome", "outcome lists the outcomes a run may end with, but is empty");
      }
    } else {
      keys.add(outcome);
    }
    List<RunClassification.Outcome> allowed = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String path = CHECKS + ".outcome" + (outcome.isArray() ? "[" + i + "]" : "");
      JsonNode key = keys.get(i);
      allowed.add(
          RunClassification.Outcome.fromKey(key.isTextual() ? key.asText() : "")
              .orElseThrow(
                  () ->
                      source.problem(
                          path,
                          "unknown outcome "
                              + (key.isTextual() ? "'" + key.asText() + "'" : key.toString())
                              + "; outcomes are "
                              + Arrays.stream(RunClassification.Outcome.values())
                                  .map(RunClassification.Outcome::key)
                                  .collect(Collectors.joining(", ")))));
    }
    return allowed.toArray(RunClassification.Outcome[]::new);
  }

  private static OutputCheck output(SourceFile source, OutputSection output) {
    String path = CHECKS + ".output";
    OutputCheck.Builder check = OutputCheck.builder();
    String key = path;
    try {
      key = path + ".contains";
      check.contains(texts(source, key, output.contains()));
      key = path + ".not-contains";
      check.notContains(texts(source, key, output.notContains()));
      key = path + ".regex";
      if (output.regex() != null) {
        check.regex(output.regex());
      }
      key = path + ".json-schema";
      if (output.jsonSchema() != null && !output.jsonSchema().isNull()) {
        check.jsonSchema(output.jsonSchema());
      }
    } catch (IllegalArgumentException e) {
      throw source.problem(key, e.getMessage());
    }
    OutputCheck built = check.build();
    if (built.isEmpty()) {
      throw source.problem(
          path, "output checks nothing; give contains, not-contains, regex or json-schema");
    }
    return built;
  }

  /** A text or a list of texts. */
  private static String[] texts(SourceFile source, String path, JsonNode value) {
    if (value == null || value.isNull()) {
      return new String[0];
    }
    if (value.isTextual()) {
      return new String[] {value.asText()};
    }
    if (value.isArray()) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isTextual()) {
          throw source.problem(
              path + "[" + i + "]", "expected a text, but was " + value.get(i).toString());
        }
        texts.add(value.get(i).asText());
      }
      return texts.toArray(String[]::new);
    }
    throw source.problem(path, "expected a text or a list of texts, but was " + value);
  }
}
