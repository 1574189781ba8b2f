package dev.bridle.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.NotApplicableCase;
import dev.bridle.eval.Score;
import dev.bridle.eval.TagResult;
import dev.bridle.eval.TimelineEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An {@link EvalReport} as one JSON document:
 *
 * <pre>{@code
 * {"suite": "...", "workflow": "name@version", "model": "...", "startedAt": "...",
 *  "durationMillis": 1234, "total": 20, "passed": 19, "failed": 1, "passRate": 0.95,
 *  "gate": {"minPass": 0.9, "passed": true},            // when a gate was applied
 *  "byTag": [{"tag": "normal", "total": 5, "passed": 5, "passRate": 1.0}, ...],
 *  "cases": [{"id": "...", "tags": [...], "description": "...", "passed": true,
 *             "outcome": "completed", "runOutcome": "completed", "steps": 3,
 *             "costUsd": 0.0012 | null, "runId": "run-..." | null, "answer": "..." | null,
 *             "error": null | "...",
 *             "scores": [{"scorer": "outcome", "passed": true, "detail": "..."}],
 *             "timeline": [{"seq": 1, "at": "...", "event": "RunStarted", "summary": "..."}]}],
 *  "notApplicable": {"count": 41, "reason": "...",            // the scripted-only cases a real
 *                    "cases": [{"id": "...", "tags": [...], "description": "..."}]}}   // model skipped
 * }</pre>
 *
 * <p>{@code total}, {@code passed}, {@code passRate}, {@code byTag} and the gate count the cases
 * that ran; {@code notApplicable.count} is 0 when every case ran.
 */
public final class JsonReport {

  private JsonReport() {}

  /** The report as a JSON tree, without a gate. */
  public static ObjectNode toJson(EvalReport report) {
    return toJson(report, Optional.empty());
  }

  /** The report as a JSON tree, with the gate {@code minPass} and whether the report meets it. */
  public static ObjectNode toJson(EvalReport report, double minPass) {
    return toJson(report, Optional.of(minPass));
  }

  private static ObjectNode toJson(EvalReport report, Optional<Double> minPass) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("suite", report.suite());
    root.put("workflow", report.workflow());
    root.put("model", report.model());
    root.put("startedAt", report.startedAt().toString());
    root.put("durationMillis", report.duration().toMillis());
    root.put("total", report.total());
    root.put("passed", report.passed());
    root.put("failed", report.failed());
    root.put("passRate", report.passRate());
    minPass.ifPresent(
        min -> {
          ObjectNode gate = root.putObject("gate");
          gate.put("minPass", min);
          gate.put("passed", report.meets(min));
        });
    ArrayNode tags = root.putArray("byTag");
    for (TagResult tag : report.byTag().values()) {
      tags.addObject()
          .put("tag", tag.tag())
          .put("total", tag.total())
          .put("passed", tag.passed())
          .put("passRate", tag.passRate());
    }
    ArrayNode cases = root.putArray("cases");
    report.cases().forEach(result -> cases.add(caseJson(result)));
    ObjectNode notApplicable = root.putObject("notApplicable");
    notApplicable.put("count", report.notApplicable().size());
    notApplicable.put(
        "reason",
        "scripted-only cases test Bridle's controls against a misbehaviour their script plays;"
            + " they are not run with a real model and not counted in the pass rate or the gate");
    ArrayNode notRun = notApplicable.putArray("cases");
    for (NotApplicableCase skipped : report.notApplicable()) {
      ObjectNode node = notRun.addObject();
      node.put("id", skipped.id());
      ArrayNode skippedTags = node.putArray("tags");
      skipped.tags().forEach(skippedTags::add);
      node.put("description", skipped.description());
    }
    return root;
  }

  private static ObjectNode caseJson(CaseResult result) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", result.id());
    ArrayNode tags = node.putArray("tags");
    result.tags().forEach(tags::add);
    node.put("description", result.description());
    node.put("passed", result.passed());
    node.put("outcome", result.outcome());
    node.put("runOutcome", result.runOutcome());
    node.put("steps", result.steps());
    if (result.costUsd().isPresent()) {
      node.put("costUsd", result.costUsd().get());
    } else {
      node.putNull("costUsd");
    }
    putOptional(node, "runId", result.runId());
    putOptional(node, "answer", result.answer());
    putOptional(node, "error", result.error());
    ArrayNode scores = node.putArray("scores");
    for (Score score : result.scores()) {
      scores
          .addObject()
          .put("scorer", score.scorer())
          .put("passed", score.passed())
          .put("detail", score.detail());
    }
    ArrayNode timeline = node.putArray("timeline");
    for (TimelineEntry entry : result.timeline()) {
      timeline
          .addObject()
          .put("seq", entry.seq())
          .put("at", entry.at().toString())
          .put("event", entry.event())
          .put("summary", entry.summary());
    }
    return node;
  }

  private static void putOptional(ObjectNode node, String name, Optional<String> value) {
    if (value.isPresent()) {
      node.put(name, value.get());
    } else {
      node.putNull(name);
    }
  }

  /** The report as indented JSON text. */
  public static String render(EvalReport report, double minPass) {
    try {
      return Json.MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(toJson(report, minPass));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the report with its gate to {@code file} (created, or replaced). */
  public static void write(EvalReport report, double minPass, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, render(report, minPass) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the JSON report to " + file + ": " + e.getMessage(), e);
    }
  }
}
