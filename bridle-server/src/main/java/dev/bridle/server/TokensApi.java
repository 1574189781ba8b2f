package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.server.auth.IssuedToken;
import dev.bridle.server.auth.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/** API tokens, for admins: create (the secret is in that response only), list, revoke. */
final class TokensApi {

  private final ServerContext server;

  TokensApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/v1/tokens", Access.ADMIN, this::create),
        Route.get("/api/v1/tokens", Access.ADMIN, this::list),
        Route.delete("/api/v1/tokens/{id}", Access.ADMIN, this::revoke));
  }

  /** {@code POST /tokens {principal, role}}: 201 with the secret, shown this once. */
  private void create(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("principal", "role"));
    String principal = Requests.requiredText(body, "principal", 128);
    String roleText = Requests.requiredText(body, "role", 16);
    Role role =
        Role.parse(roleText)
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "role",
                        "role must be one of viewer, approver, operator, admin, but was '"
                            + roleText
                            + "'"));
    IssuedToken issued;
    try {
      issued = server.tokens().issue(principal, role);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("principal", e.getMessage());
    }
    ObjectNode out = server.views().token(issued.token());
    out.put("token", issued.secret());
    Responses.json(ctx, 201, out);
  }

  private void list(Context ctx) {
    ArrayNode tokens = Jsons.array();
    server.tokens().list().forEach(token -> tokens.add(server.views().token(token)));
    ObjectNode out = Jsons.object();
    out.set("tokens", tokens);
    Responses.ok(ctx, out);
  }

  /** {@code DELETE /tokens/{id}}: 204; the token's sessions end with it. */
  private void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    if (server.tokens().find(id).filter(t -> !t.revoked()).isEmpty()) {
      throw ApiException.notFound("no active token " + id);
    }
    server.tokens().revoke(id);
    ctx.status(204);
  }
}
