package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kill switches (DESIGN §3.5): turn one on, off, list those that are on. A switch stops the runs it
 * covers before their next model or tool call; they park as KILLED and go on with {@code POST
 * /runs/{id}/resume} after a revive.
 */
final class KillSwitchApi {

  private final ServerContext server;

  KillSwitchApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/v1/kill-switches", Access.VIEWER, this::list),
        Route.post("/api/v1/kill", Access.OPERATOR, this::kill),
        Route.post("/api/v1/revive", Access.OPERATOR, this::revive));
  }

  private void list(Context ctx) {
    ArrayNode switches = Jsons.array();
    server.killSwitch().active().forEach(kill -> switches.add(server.views().kill(kill)));
    ObjectNode out = Jsons.object();
    out.set("killSwitches", switches);
    Responses.ok(ctx, out);
  }

  /** {@code POST /kill {scope, target?, reason?}}. */
  private void kill(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("scope", "target", "reason"));
    KillSwitch.Scope scope = scope(Requests.requiredText(body, "scope", 16));
    String target = target(body, scope);
    String reason = Requests.optionalText(body, "reason", RunsApi.MAX_REASON_CHARS).orElse("");
    try {
      server.killSwitch().kill(scope, target, Authenticator.caller(ctx).principal(), reason);
    } catch (UnsupportedOperationException e) {
      throw new ApiException(501, "not_configured", e.getMessage());
    }
    KillSwitch.Kill on =
        server.killSwitch().active().stream()
            .filter(k -> k.scope() == scope && k.target().equals(target))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the kill switch store did not keep the switch just turned on"));
    ObjectNode out = Jsons.object();
    out.set("killSwitch", server.views().kill(on));
    Responses.ok(ctx, out);
  }

  /**
   * {@code POST /revive {scope, target?}}: turns a switch off; says which parked runs no switch
   * covers any more (they resume with {@code POST /runs/{id}/resume}).
   */
  private void revive(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("scope", "target"));
    KillSwitch.Scope scope = scope(Requests.requiredText(body, "scope", 16));
    String target = target(body, scope);
    boolean revived =
        server.killSwitch().revive(scope, target, Authenticator.caller(ctx).principal());
    ArrayNode resumable = Jsons.array();
    for (RunSummary run :
        server.store().list(RunQuery.ALL.withStatus(RunStatus.KILLED).withLimit(1_000))) {
      String agent = server.workflows().identity(run);
      if (server.killSwitch().check(run.workflow(), agent).isEmpty()) {
        resumable.add(run.runId().value());
      }
    }
    ObjectNode out = Jsons.object();
    out.put("revived", revived);
    out.set("resumableRuns", resumable);
    Responses.ok(ctx, out);
  }

  private static KillSwitch.Scope scope(String text) {
    try {
      return KillSwitch.Scope.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "scope", "scope must be one of global, workflow, agent, but was '" + text + "'");
    }
  }

  private static String target(ObjectNode body, KillSwitch.Scope scope) {
    if (scope == KillSwitch.Scope.GLOBAL) {
      String given = Requests.optionalText(body, "target", 200).orElse("*");
      if (!given.equals("*")) {
        throw ApiException.invalid(
            "target", "a global kill switch has no target (or '*'), but was '" + given + "'");
      }
      return "*";
    }
    String target = Requests.requiredText(body, "target", 200);
    String rule =
        scope == KillSwitch.Scope.WORKFLOW
            ? "[a-z0-9][a-z0-9-]{0,63}"
            : "agent:[a-z0-9][a-z0-9-]{0,63}@[^\\s]{1,64}";
    if (!target.matches(rule)) {
      throw ApiException.invalid(
          "target",
          "target of a "
              + scope.name().toLowerCase(Locale.ROOT)
              + " kill switch must be "
              + (scope == KillSwitch.Scope.WORKFLOW
                  ? "a workflow name"
                  : "an agent identity agent:<workflow>@<version>")
              + ", but was '"
              + target
              + "'");
    }
    return target;
  }
}
