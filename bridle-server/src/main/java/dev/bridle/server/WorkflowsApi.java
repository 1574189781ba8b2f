package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.cluster.Rollout;
import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.Percentage;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The workflows this node serves: name, version, the mode in force and where it comes from (an
 * operator's change or the workflow's own policy), policy version, tools with their effects, and
 * whether a kill switch covers them; one workflow also lists the versions its runs ran under.
 */
final class WorkflowsApi {

  /** Runs looked at for the versions of a workflow (newest first). */
  private static final int VERSION_SCAN_RUNS = 1_000;

  private final ServerContext server;
  private final Optional<DeploymentEvidence> evidence;
  private final EvidenceJson json;

  /**
   * @param evidence where operators' mode changes are kept; the mode shown is the latest change's
   *     when there is one (the override every run of the workflow obeys)
   */
  WorkflowsApi(ServerContext server, Optional<DeploymentEvidence> evidence) {
    this.server = server;
    this.evidence = evidence;
    this.json = new EvidenceJson(server.redactor()::text);
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/v1/workflows", Access.VIEWER, this::list),
        Route.get("/api/v1/workflows/{name}", Access.VIEWER, this::show));
  }

  private void list(Context ctx) {
    ArrayNode workflows = Jsons.array();
    for (String name : server.workflows().names()) {
      Optional<ModeChange> override = override(name);
      agent(name, override).ifPresent(agent -> workflows.add(describe(name, agent, override)));
    }
    ObjectNode out = Jsons.object();
    out.set("workflows", workflows);
    Responses.ok(ctx, out);
  }

  private void show(Context ctx) {
    String name = ctx.pathParam("name");
    if (!server.workflows().serves(name)) {
      throw ApiException.notFound("workflow '" + name + "' is not served here");
    }
    Optional<ModeChange> override = override(name);
    Agent agent = agent(name, override).orElseThrow();
    ObjectNode out = describe(name, agent, override);
    Map<String, long[]> versions = new TreeMap<>();
    Map<String, Instant> lastRun = new TreeMap<>();
    for (RunSummary run :
        server.store().list(RunQuery.ALL.withWorkflow(name).withLimit(VERSION_SCAN_RUNS))) {
      if (run.workflowVersion() == null || run.workflowVersion().isEmpty()) {
        continue;
      }
      versions.computeIfAbsent(run.workflowVersion(), v -> new long[1])[0]++;
      lastRun.merge(run.workflowVersion(), run.createdAt(), (a, b) -> a.isAfter(b) ? a : b);
    }
    ArrayNode seen = out.putArray("versions");
    versions.forEach(
        (version, count) -> {
          ObjectNode one = seen.addObject();
          one.put("version", version);
          one.put("runs", count[0]);
          one.put("lastRunAt", Views.time(lastRun.get(version)));
        });
    Responses.ok(ctx, out);
  }

  /**
   * The versions served side by side and the share of new runs each gets; one version at 100% when
   * the workflow is served alone.
   */
  private ArrayNode rollout(String name, Agent primary) {
    ArrayNode out = Jsons.array();
    Rollout rollout = server.workflows().rollouts().get(name);
    if (rollout.versions().isEmpty()) {
      ObjectNode only = out.addObject();
      only.put("version", primary.version());
      only.put("traffic", Percentage.ALL.toString());
      only.put("definitionHash", primary.definitionHash());
      return out;
    }
    for (Rollout.Version version : rollout.versions()) {
      ObjectNode one = out.addObject();
      one.put("version", version.version());
      one.put("traffic", version.traffic().toString());
      one.put(
          "definitionHash",
          server
              .workflows()
              .agent(name, version.version())
              .map(Agent::definitionHash)
              .orElse(null));
    }
    return out;
  }

  /** The operator's latest mode change of {@code name}; empty without one or an evidence store. */
  private Optional<ModeChange> override(String name) {
    return evidence.flatMap(store -> store.currentMode(name));
  }

  /**
   * The agent standing for {@code name}, built anew after a mode change so that its policy (and
   * policy version) is the one in force, not the one cached before the change.
   */
  private Optional<Agent> agent(String name, Optional<ModeChange> override) {
    return override.isPresent()
        ? server.workflows().current(name, override.get().seq())
        : server.workflows().agent(name);
  }

  private ObjectNode describe(String name, Agent agent, Optional<ModeChange> override) {
    Policy policy = agent.policy();
    ObjectNode node = Jsons.object();
    node.put("name", name);
    node.put("version", agent.version());
    node.put("agent", agent.identity());
    node.put("definitionHash", agent.definitionHash());
    node.set("rollout", rollout(name, agent));
    // the mode in force: an operator's change overrides the mode the workflow declares
    node.put("mode", override.map(ModeChange::to).orElse(policy.mode()).name());
    node.put("modeSource", override.isPresent() ? "override" : "declared");
    node.set("override", override.map(json::modeChange).orElse(null));
    node.put("policyVersion", policy.version());
    node.put("maxUnapprovedEffect", policy.maxUnapprovedEffect().name());
    node.put("allowDestructive", policy.allowDestructive());
    node.put("approvalTimeout", policy.approvalTimeout().toString());
    node.put("onTimeout", policy.onTimeout().name().toLowerCase(Locale.ROOT));
    ArrayNode tools = node.putArray("tools");
    for (Tool<?> tool : agent.tools().tools()) {
      ObjectNode one = tools.addObject();
      one.put("name", tool.name());
      one.put("description", tool.description());
      one.put("effect", tool.effect().name());
      one.put("reversible", tool.reversible());
      one.put("idempotent", tool.idempotent());
    }
    node.put(
        "killedBy",
        server
            .killSwitch()
            .check(name, agent.identity())
            .map(kill -> server.redactor().text(kill.describe()))
            .orElse(null));
    return node;
  }
}
