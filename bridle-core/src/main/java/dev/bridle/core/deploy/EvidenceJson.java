package dev.bridle.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bridle.core.journal.RunStatus;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The deployment evidence as JSON, one shape for {@code bridle ... --json} and the HTTP API. What
 * people wrote or that names people (reasons, comments, approvers, the human's arguments, the
 * checks' descriptions, which name the approver that broke a streak) goes through {@code text}: the
 * CLI prints it as it is, the server redacts it. Times are ISO-8601, enum values upper case.
 */
public final class EvidenceJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final UnaryOperator<String> text;

  /**
   * @param text applied to every text people wrote or that names people
   */
  public EvidenceJson(UnaryOperator<String> text) {
    this.text = Objects.requireNonNull(text, "text");
  }

  /** Nothing redacted: for the operator's own terminal. */
  public static EvidenceJson plain() {
    return new EvidenceJson(UnaryOperator.identity());
  }

  /**
   * A workflow's readiness.
   *
   * @param override the workflow's latest mode change, if any: {@code modeSource} says whether the
   *     current mode is that override, the workflow file's ({@code declared}) or {@code unknown}
   */
  public ObjectNode readiness(Readiness readiness, Optional<ModeChange> override) {
    ObjectNode node = NODES.objectNode();
    node.put("workflow", readiness.workflow());
    node.put("version", readiness.version());
    node.put("currentMode", readiness.currentMode().map(Enum::name).orElse(null));
    node.put(
        "modeSource",
        override.isPresent()
            ? "override"
            : readiness.currentMode().isPresent() ? "declared" : "unknown");
    node.set("override", override.map(this::modeChange).orElse(null));
    node.put("supported", readiness.supported().name());
    node.set("recommendation", recommendation(readiness.recommendation()));
    ArrayNode steps = node.putArray("steps");
    for (Readiness.Step step : readiness.steps()) {
      ObjectNode one = steps.addObject();
      one.put("from", step.from().name());
      one.put("to", step.to().name());
      one.put("ready", step.ready());
      ArrayNode checks = one.putArray("checks");
      for (Readiness.Check check : step.checks()) {
        checks
            .addObject()
            .put("name", check.name())
            .put("met", check.met())
            .put("actual", text.apply(check.actual()))
            .put("required", check.required());
      }
    }
    node.set("agreement", agreement(readiness.agreement()));
    node.set("approvals", approvals(readiness.approvals()));
    ArrayNode suites = node.putArray("suites");
    readiness.suites().forEach(suite -> suites.add(evaluation(suite)));
    node.set("feedback", feedback(readiness.feedback()));
    ReadinessSettings settings = readiness.settings();
    node.putObject("settings")
        .put("agreementRate", settings.agreementRate())
        .put("minimumComparisons", settings.minimumComparisons())
        .put("suitePassRate", settings.suitePassRate())
        .put("supervisedStreak", settings.supervisedStreak())
        .put("autonomousStreak", settings.autonomousStreak());
    return node;
  }

  /** {@code {kind, mode, text, next?, back?, missing}}. */
  public ObjectNode recommendation(Readiness.Recommendation recommendation) {
    ObjectNode node = NODES.objectNode();
    node.put(
        "kind",
        switch (recommendation) {
          case Readiness.Recommendation.Advance a -> "advance";
          case Readiness.Recommendation.Hold h -> "hold";
          case Readiness.Recommendation.Review r -> "review";
          case Readiness.Recommendation.Final f -> "final";
        });
    node.put("mode", recommendation.mode().name());
    ArrayNode missing = node.putArray("missing");
    switch (recommendation) {
      case Readiness.Recommendation.Hold h -> {
        node.put("next", h.next().name());
        h.missing().forEach(m -> missing.add(text.apply(m)));
      }
      case Readiness.Recommendation.Review r -> {
        node.put("back", r.back().name());
        r.missing().forEach(m -> missing.add(text.apply(m)));
      }
      default -> {}
    }
    node.put("text", text.apply(recommendation.describe()));
    return node;
  }

  /** Totals, per source and per tool, and the shadow runs compared and awaiting a decision. */
  public ObjectNode agreement(Agreement agreement) {
    ObjectNode node = NODES.objectNode();
    node.set("total", tally(agreement.total()));
    node.set("shadow", tally(agreement.shadow()));
    node.set("approvals", tally(agreement.approvals()));
    ObjectNode byTool = node.putObject("byTool");
    agreement.byTool().forEach((tool, tally) -> byTool.set(tool, tally(tally)));
    node.put("shadowRunsCompared", agreement.shadowRunsCompared());
    node.put("shadowRunsAwaitingDecision", agreement.shadowRunsAwaitingDecision());
    return node;
  }

  private static ObjectNode tally(Agreement.Tally tally) {
    ObjectNode node = NODES.objectNode();
    node.put("agreed", tally.agreed());
    node.put("compared", tally.compared());
    if (tally.compared() == 0) {
      node.putNull("rate");
    } else {
      node.put("rate", tally.rate());
    }
    return node;
  }

  /** The streak and the counts of each decision, and what broke the streak. */
  public ObjectNode approvals(ApprovalStreak streak) {
    ObjectNode node = NODES.objectNode();
    node.put("streak", streak.current());
    node.put("approved", streak.approved());
    node.put("edited", streak.edited());
    node.put("rejected", streak.rejected());
    node.put("responded", streak.responded());
    node.set(
        "brokenBy",
        streak
            .brokenBy()
            .map(
                b ->
                    (JsonNode)
                        NODES
                            .objectNode()
                            .put("runId", b.runId().value())
                            .put("callId", b.callId())
                            .put("tool", b.tool())
                            .put("decision", b.decision().name())
                            .put("approver", text.apply(b.approver()))
                            .put("at", b.at().toString()))
            .orElse(null));
    return node;
  }

  /** {@code {count, mean}}; mean null without ratings. */
  public ObjectNode feedback(FeedbackSummary summary) {
    ObjectNode node = NODES.objectNode();
    node.put("count", summary.count());
    if (summary.mean().isPresent()) {
      node.put("mean", summary.mean().getAsDouble());
    } else {
      node.putNull("mean");
    }
    return node;
  }

  public ObjectNode evaluation(EvaluationRecord record) {
    return NODES
        .objectNode()
        .put("workflow", record.workflow())
        .put("version", record.version())
        .put("suite", record.suite())
        .put("total", record.total())
        .put("passed", record.passed())
        .put("passRate", record.passRate())
        .put("at", record.at().toString())
        .put("by", text.apply(record.by()));
  }

  public ObjectNode modeChange(ModeChange change) {
    return NODES
        .objectNode()
        .put("seq", change.seq())
        .put("workflow", change.workflow())
        .put("from", change.from().map(Enum::name).orElse(null))
        .put("to", change.to().name())
        .put("by", text.apply(change.by()))
        .put("reason", text.apply(change.reason()))
        .put("forced", change.forced())
        .put("evidence", text.apply(change.evidence()))
        .put("at", change.at().toString());
  }

  public ObjectNode feedback(Feedback feedback) {
    return NODES
        .objectNode()
        .put("runId", feedback.runId().value())
        .put("workflow", feedback.workflow())
        .put("workflowVersion", feedback.workflowVersion())
        .put("rating", feedback.rating())
        .put("comment", text.apply(feedback.comment()))
        .put("by", text.apply(feedback.by()))
        .put("at", feedback.at().toString());
  }

  public ObjectNode shadowDecision(ShadowDecision decision) {
    ObjectNode node = NODES.objectNode();
    node.put("runId", decision.runId().value());
    node.put("workflow", decision.workflow());
    node.put("workflowVersion", decision.workflowVersion());
    ArrayNode calls = node.putArray("calls");
    for (HumanCall call : decision.calls()) {
      calls
          .addObject()
          .put("tool", call.tool())
          .set("arguments", deep(CanonicalJson.parse(call.arguments()).orElseThrow()));
    }
    node.put("didNothing", decision.didNothing());
    node.put("by", text.apply(decision.by()));
    node.put("at", decision.at().toString());
    return node;
  }

  /** A version side by side with others. */
  public ObjectNode versionSummary(VersionSummary summary) {
    ObjectNode node = NODES.objectNode();
    node.put("workflow", summary.workflow());
    node.put("version", summary.version());
    node.put("runs", summary.runs());
    ObjectNode outcomes = node.putObject("outcomes");
    for (Map.Entry<RunStatus, Integer> outcome : summary.outcomes().entrySet()) {
      outcomes.put(outcome.getKey().name(), outcome.getValue());
    }
    ArrayNode suites = node.putArray("suites");
    summary.suites().forEach(suite -> suites.add(evaluation(suite)));
    if (summary.lowestSuitePassRate().isPresent()) {
      node.put("lowestSuitePassRate", summary.lowestSuitePassRate().get());
    } else {
      node.putNull("lowestSuitePassRate");
    }
    node.set("approvals", approvals(summary.approvals()));
    node.set("agreement", agreement(summary.agreement()));
    node.put("tokens", summary.tokens());
    node.put("costUsd", summary.costUsd());
    node.put("costPerRunUsd", summary.costPerRun().orElse(null));
    node.put("unpricedModelCalls", summary.unpricedModelCalls());
    node.set("feedback", feedback(summary.feedback()));
    return node;
  }

  /** A copy of {@code node} with {@code text} applied to every string, at any depth. */
  private JsonNode deep(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(text.apply(node.asText()));
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = NODES.objectNode();
      object.properties().forEach(field -> copy.set(field.getKey(), deep(field.getValue())));
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = NODES.arrayNode();
      array.forEach(element -> copy.add(deep(element)));
      return copy;
    }
    return node;
  }
}
