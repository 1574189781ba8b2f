package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.server.auth.ApiToken;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.List;
import java.util.Set;

/**
 * Sessions for the dashboard: log in with an API token for an HttpOnly, SameSite=Strict session
 * cookie and a CSRF token; every state-changing request with the cookie must send the CSRF token in
 * {@code X-CSRF-Token}.
 */
final class SessionApi {

  private final ServerContext server;

  SessionApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/v1/login", Access.PUBLIC, this::login),
        Route.get("/api/v1/session", Access.VIEWER, this::session),
        Route.post("/api/v1/logout", Access.VIEWER, this::logout));
  }

  /** {@code POST /login {token}}: sets the session cookie; returns the CSRF token. */
  private void login(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("token"));
    String secret = Requests.requiredText(body, "token", 256);
    ApiToken token =
        server
            .tokens()
            .authenticate(secret)
            .orElseThrow(
                () -> new ApiException(401, "unauthorized", "the token is unknown or revoked"));
    Sessions.Session session = server.sessions().open(token.id());
    boolean secure = secure(ctx);
    int maxAge = (int) server.sessions().lifetime().toSeconds();
    ctx.cookie(cookie(Authenticator.SESSION_COOKIE, session.id(), maxAge, secure, true));
    ctx.cookie(cookie(Authenticator.CSRF_COOKIE, session.csrfToken(), maxAge, secure, false));
    ObjectNode out = describe(token.principal(), token.role().label());
    out.put("csrfToken", session.csrfToken());
    out.put("expiresAt", Views.time(session.expiresAt()));
    Responses.ok(ctx, out);
  }

  /** {@code GET /session}: who the caller is; with a cookie, the CSRF token again. */
  private void session(Context ctx) {
    Caller caller = Authenticator.caller(ctx);
    ObjectNode out = describe(caller.principal(), caller.role().label());
    if (caller.viaSession()) {
      server
          .sessions()
          .find(ctx.cookie(Authenticator.SESSION_COOKIE))
          .ifPresent(
              s -> {
                out.put("csrfToken", s.csrfToken());
                out.put("expiresAt", Views.time(s.expiresAt()));
              });
    }
    Responses.ok(ctx, out);
  }

  /** {@code POST /logout}: ends the session and clears its cookies. */
  private void logout(Context ctx) {
    server.sessions().close(ctx.cookie(Authenticator.SESSION_COOKIE));
    boolean secure = secure(ctx);
    ctx.cookie(cookie(Authenticator.SESSION_COOKIE, "", 0, secure, true));
    ctx.cookie(cookie(Authenticator.CSRF_COOKIE, "", 0, secure, false));
    ctx.status(204);
  }

  private static ObjectNode describe(String principal, String role) {
    ObjectNode out = Jsons.object();
    out.put("principal", principal);
    out.put("role", role);
    return out;
  }

  private boolean secure(Context ctx) {
    return server.secureCookies()
        || "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  private static Cookie cookie(
      String name, String value, int maxAge, boolean secure, boolean httpOnly) {
    return new Cookie(name, value, "/", maxAge, secure, 0, httpOnly, null, null, SameSite.STRICT);
  }
}
