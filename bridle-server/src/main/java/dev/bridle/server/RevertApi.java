package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.run.Reverter;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Rollback from the change journal (DESIGN §3.6): revert one run's changes, or a workflow's since
 * an instant, newest first, each inverse call journaled on the run that made the change. Reverting
 * twice reverts once.
 */
final class RevertApi {

  private final ServerContext server;

  RevertApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/v1/runs/{id}/revert", Access.OPERATOR, this::revertRun),
        Route.post("/api/v1/revert", Access.OPERATOR, this::revertWorkflow));
  }

  private Reverter reverter() {
    return new Reverter(server.store(), server.workflows()::agent, server.clock());
  }

  private void revertRun(Context ctx) {
    RunId runId = Requests.runId(ctx);
    Requests.optionalBody(ctx, Set.of());
    server.run(runId);
    Reverter.Report report = reverter().revertRun(runId, Authenticator.caller(ctx).principal());
    Responses.ok(ctx, server.views().revert(report));
  }

  /** {@code POST /revert {workflow, since}}. */
  private void revertWorkflow(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("workflow", "since"));
    String workflow = Requests.requiredText(body, "workflow", 64);
    Instant since = Requests.instant("since", Requests.requiredText(body, "since", 64));
    Reverter.Report report =
        reverter().revertWorkflow(workflow, since, Authenticator.caller(ctx).principal());
    ObjectNode out = server.views().revert(report);
    Responses.ok(ctx, out);
  }
}
