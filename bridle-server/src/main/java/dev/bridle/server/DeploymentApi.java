package dev.bridle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.deploy.HumanCall;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.deploy.Readiness;
import dev.bridle.core.deploy.ReadinessSettings;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.deploy.VersionSummary;
import dev.bridle.core.deploy.WorkflowEvidence;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.run.Agent;
import dev.bridle.server.auth.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deployment sequence (shadow → propose → supervised → autonomous): record what a human did
 * about a shadow run and feedback on a run, read a workflow's readiness, agreement, mode changes
 * and versions side by side, and change its mode as an audited operator action. Who recorded or
 * changed something is always the authenticated caller, never a field of the request. The rule
 * tables are in {@code docs/deployment.md}.
 */
final class DeploymentApi {

  private static final Pattern WORKFLOW = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final int MAX_VERSIONS = 10;

  private final ServerContext server;
  private final Optional<DeploymentEvidence> evidence;
  private final EvidenceJson json;
  private final PromotionThresholds thresholds;

  DeploymentApi(
      ServerContext server, Optional<DeploymentEvidence> evidence, PromotionThresholds thresholds) {
    this.server = server;
    this.evidence = evidence;
    this.thresholds = thresholds;
    this.json = new EvidenceJson(server.redactor()::text);
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/v1/runs/{id}/shadow-decision", Access.APPROVER, this::shadowDecision),
        Route.post("/api/v1/runs/{id}/feedback", Access.VIEWER, this::feedback),
        Route.get("/api/v1/runs/{id}/feedback", Access.VIEWER, this::feedbackOn),
        Route.get("/api/v1/workflows/{name}/readiness", Access.VIEWER, this::readiness),
        Route.get("/api/v1/workflows/{name}/agreement", Access.VIEWER, this::agreement),
        Route.get("/api/v1/workflows/{name}/compare", Access.VIEWER, this::compare),
        Route.get("/api/v1/workflows/{name}/mode-changes", Access.VIEWER, this::modeChanges),
        Route.post("/api/v1/workflows/{name}/mode", Access.OPERATOR, this::changeMode));
  }

  private Deployment deployment() {
    DeploymentEvidence store =
        evidence.orElseThrow(
            () ->
                new ApiException(
                    501,
                    "not_configured",
                    "this server keeps no deployment evidence (BridleServer.Builder"
                        + ".deploymentEvidence)"));
    return new Deployment(server.store(), store, server.clock());
  }

  /**
   * {@code POST /runs/{id}/shadow-decision {calls}}: what the human actually did about a shadow
   * run's task: {@code calls} is {@code "none"} or {@code []}, or a list of {@code {tool,
   * arguments}}. Recorded once per run; 201 with the decision.
   */
  private void shadowDecision(Context ctx) {
    RunId runId = Requests.runId(ctx);
    ObjectNode body = Requests.body(ctx, Set.of("calls"));
    Deployment deployment = deployment();
    List<HumanCall> calls;
    try {
      calls = ShadowDecision.parseCalls(body.get("calls"));
    } catch (DeploymentException e) {
      throw ApiException.invalid("calls", e.getMessage().replace("the decision", "calls"));
    }
    ShadowDecision recorded =
        call(
            () ->
                deployment.recordShadowDecision(
                    runId, calls, Authenticator.caller(ctx).principal()));
    Responses.json(ctx, 201, json.shadowDecision(recorded));
  }

  /**
   * {@code POST /runs/{id}/feedback {rating, comment?}}: a rating of the run, 1 (bad) to 5 (good),
   * by the run's requester or a reviewer (the approver role or above); 201 when new, 200 when it
   * replaced the caller's earlier feedback on the run.
   */
  private void feedback(Context ctx) {
    RunId runId = Requests.runId(ctx);
    ObjectNode body = Requests.body(ctx, Set.of("rating", "comment"));
    JsonNode rating = body.get("rating");
    if (rating == null || !rating.canConvertToInt() || !rating.isIntegralNumber()) {
      throw ApiException.invalid(
          "rating", "rating is required: a whole number from 1 (bad) to 5 (good)");
    }
    String comment = Requests.optionalText(body, "comment", Feedback.MAX_COMMENT_CHARS).orElse("");
    Deployment deployment = deployment();
    RunSummary run = server.run(runId);
    Caller caller = Authenticator.caller(ctx);
    if (!caller.principal().equals(run.user()) && !caller.role().includes(Role.APPROVER)) {
      throw new ApiException(
          403,
          "forbidden",
          "feedback on run "
              + runId
              + " is given by the run's requester or a reviewer (the approver role or above);"
              + " "
              + caller.principal()
              + " is neither");
    }
    Deployment.FeedbackRecorded recorded =
        call(() -> deployment.recordFeedback(runId, rating.asInt(), comment, caller.principal()));
    ObjectNode out = json.feedback(recorded.feedback());
    out.put("replaced", recorded.replaced());
    Responses.json(ctx, recorded.replaced() ? 200 : 201, out);
  }

  /**
   * {@code GET /runs/{id}/feedback}: the ratings and comments on one run, newest first (comments
   * redacted like every other text the API serves).
   */
  private void feedbackOn(Context ctx) {
    RunId runId = Requests.runId(ctx);
    Deployment deployment = deployment();
    server.run(runId);
    ArrayNode list = Jsons.array();
    call(() -> deployment.evidence().feedbackOn(runId)).forEach(f -> list.add(json.feedback(f)));
    ObjectNode out = Jsons.object();
    out.put("runId", runId.toString());
    out.set("feedback", list);
    Responses.ok(ctx, out);
  }

  /**
   * {@code GET /workflows/{name}/readiness?version}: the evidence, each step's checks, the mode the
   * evidence supports and the recommendation, with the thresholds of the version's served file
   * ({@code promotion:}; the defaults for a workflow not served here).
   */
  private void readiness(Context ctx) {
    String name = workflow(ctx);
    Deployment deployment = deployment();
    Optional<String> version = Requests.textParam(ctx, "version", 64);
    WorkflowEvidence gathered = call(() -> deployment.evidence(name));
    // the thresholds of the version assessed, as its served file's promotion: says
    ReadinessSettings settings =
        thresholds.of(name, version.or(gathered::latestVersion).orElse(""));
    Readiness readiness = Readiness.of(gathered, version, declared(name), settings);
    ObjectNode out = json.readiness(readiness, gathered.currentMode());
    out.put("runsRead", gathered.runs().size());
    out.put("truncated", gathered.truncated());
    Responses.ok(ctx, out);
  }

  /** {@code GET /workflows/{name}/agreement?version}: per tool and in total. */
  private void agreement(Context ctx) {
    String name = workflow(ctx);
    Deployment deployment = deployment();
    Optional<String> version = Requests.textParam(ctx, "version", 64);
    ObjectNode out = json.agreement(call(() -> deployment.agreement(name, version)));
    out.put("workflow", name);
    out.put("version", version.orElse(null));
    Responses.ok(ctx, out);
  }

  /** {@code GET /workflows/{name}/compare?versions=A,B}: versions side by side, in that order. */
  private void compare(Context ctx) {
    String name = workflow(ctx);
    Deployment deployment = deployment();
    String text =
        Requests.textParam(ctx, "versions", 1_000)
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "versions",
                        "versions is required: versions separated by commas, e.g. 3,4"));
    List<String> versions = new ArrayList<>(new LinkedHashSet<>(List.of(text.split(",", -1))));
    if (versions.size() > MAX_VERSIONS
        || versions.stream().anyMatch(v -> v.isBlank() || v.length() > 64)) {
      throw ApiException.invalid(
          "versions",
          "versions must be 1 to "
              + MAX_VERSIONS
              + " versions of 1 to 64 characters separated by commas, but was '"
              + text
              + "'");
    }
    ArrayNode compared = Jsons.array();
    for (VersionSummary summary : call(() -> deployment.compare(name, versions))) {
      compared.add(json.versionSummary(summary));
    }
    ObjectNode out = Jsons.object();
    out.put("workflow", name);
    out.set("versions", compared);
    Responses.ok(ctx, out);
  }

  /** {@code GET /workflows/{name}/mode-changes?limit}: the audit log of its mode, newest first. */
  private void modeChanges(Context ctx) {
    String name = workflow(ctx);
    Deployment deployment = deployment();
    int limit = Requests.limit(ctx, 50, DeploymentEvidence.MAX_LIST);
    ArrayNode changes = Jsons.array();
    call(() -> deployment.evidence().modeChanges(Optional.of(name), limit))
        .forEach(change -> changes.add(json.modeChange(change)));
    ObjectNode out = Jsons.object();
    out.put("workflow", name);
    out.set("modeChanges", changes);
    Responses.ok(ctx, out);
  }

  /**
   * {@code POST /workflows/{name}/mode {mode, reason, force?}}: changes the mode, recorded with the
   * caller, the time, the reason, the mode before and the evidence. AUTONOMOUS without the evidence
   * needs {@code force: true} and is recorded as forced (else 409 {@code not_ready}); the mode it
   * is in already is 409 {@code conflict}.
   */
  private void changeMode(Context ctx) {
    String name = workflow(ctx);
    ObjectNode body = Requests.body(ctx, Set.of("mode", "reason", "force"));
    Mode mode = mode(Requests.requiredText(body, "mode", 16));
    String reason = Requests.requiredText(body, "reason", ModeChange.MAX_REASON_CHARS);
    JsonNode force = body.get("force");
    if (force != null && !force.isNull() && !force.isBoolean()) {
      throw ApiException.invalid("force", "force must be true or false");
    }
    Deployment deployment = deployment();
    Optional<ModeChange> change =
        call(
            () ->
                deployment.changeMode(
                    name,
                    served(name),
                    mode,
                    declared(name),
                    Authenticator.caller(ctx).principal(),
                    reason,
                    force != null && force.asBoolean(),
                    v -> thresholds.of(name, v)));
    if (change.isEmpty()) {
      throw ApiException.conflict(
          "workflow " + name + " is in " + mode + " already; nothing changed");
    }
    Responses.ok(ctx, json.modeChange(change.get()));
  }

  /**
   * The versions of {@code name} this node starts new runs on (a rollout's versions with traffic,
   * or its one version); empty for a workflow not served here: the newest run's version then.
   */
  private List<String> served(String name) {
    Rollout rollout = server.workflows().rollouts().get(name);
    if (rollout != null && !rollout.versions().isEmpty()) {
      return rollout.versions().stream()
          .filter(v -> v.traffic().basisPoints() > 0)
          .map(Rollout.Version::version)
          .toList();
    }
    return server.workflows().agent(name).map(Agent::version).map(List::of).orElse(List.of());
  }

  /** The mode the served workflow's file declares; empty for a workflow not served here. */
  private Optional<Mode> declared(String name) {
    return server.workflows().agent(name).map(Agent::policy).map(p -> p.mode());
  }

  private static String workflow(Context ctx) {
    String name = ctx.pathParam("name");
    if (!WORKFLOW.matcher(name).matches()) {
      throw ApiException.invalid(
          "name",
          "a workflow name is lower-case letters, digits and dashes (at most 64), but was '"
              + name
              + "'");
    }
    return name;
  }

  private static Mode mode(String text) {
    try {
      return Mode.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "mode",
          "mode must be one of shadow, propose, supervised, autonomous, but was '" + text + "'");
    }
  }

  /** Runs {@code work}; a {@link DeploymentException} as the status a client can act on. */
  private static <T> T call(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (DeploymentException e) {
      throw switch (e.reason()) {
        case INVALID -> new ApiException(400, "invalid_request", e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case WRONG_STATE -> ApiException.conflict(e.getMessage());
        case ALREADY_RECORDED -> new ApiException(409, "already_recorded", e.getMessage());
        case NOT_READY -> new ApiException(409, "not_ready", e.getMessage());
      };
    }
  }
}
