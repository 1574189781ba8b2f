package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.audit.AuditTrail;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /audit?workflow&since&limit}: every call with an effect, newest first. */
final class AuditApi {

  private final ServerContext server;

  AuditApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(Route.get("/api/v1/audit", Access.VIEWER, this::audit));
  }

  private void audit(Context ctx) {
    ArrayNode entries = Jsons.array();
    new AuditTrail(server.store())
        .query(
            Requests.textParam(ctx, "workflow", 64),
            Requests.instantParam(ctx, "since"),
            Requests.limit(ctx, 100, 1_000))
        .forEach(entry -> entries.add(server.views().audit(entry)));
    ObjectNode out = Jsons.object();
    out.set("entries", entries);
    Responses.ok(ctx, out);
  }
}
