package dev.bridle.server;

import dev.bridle.server.auth.ApiToken;
import dev.bridle.server.auth.Role;
import dev.bridle.server.auth.TokenStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides who a request comes from and whether they may call the endpoint it matched (default
 * deny): a {@code Authorization: Bearer} token, else a session cookie, in which case every
 * state-changing request must also carry the session's CSRF token in {@code X-CSRF-Token}. No
 * credentials: 401 with {@code WWW-Authenticate: Bearer}; a role too low: 403.
 */
final class Authenticator {

  static final String SESSION_COOKIE = "bridle_session";
  static final String CSRF_COOKIE = "bridle_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CALLER = "bridle.caller";

  private final TokenStore tokens;
  private final Sessions sessions;

  Authenticator(TokenStore tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** Checks the request against {@code access}; stores the caller on the context. */
  void check(Context ctx, Access access) {
    Optional<Role> required = access.role();
    if (required.isEmpty()) {
      return;
    }
    Caller caller = authenticate(ctx);
    if (!caller.role().includes(required.get())) {
      throw new ApiException(
          403,
          "forbidden",
          "this needs the "
              + required.get().label()
              + " role; the token of "
              + caller.principal()
              + " has the "
              + caller.role().label()
              + " role");
    }
    ctx.attribute(CALLER, caller);
  }

  static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on " + ctx.path());
    }
    return caller;
  }

  private Caller authenticate(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      return bearer(ctx, authorization);
    }
    String sessionId = ctx.cookie(SESSION_COOKIE);
    if (sessionId != null) {
      return session(ctx, sessionId);
    }
    throw unauthorized(
        ctx,
        "Bearer",
        "this needs an API token: send Authorization: Bearer <token>, or log in for a session");
  }

  private Caller bearer(Context ctx, String authorization) {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized(
          ctx,
          "Bearer error=\"invalid_request\"",
          "the Authorization header must be 'Bearer <token>'");
    }
    Optional<ApiToken> token = tokens.authenticate(authorization.substring(7).strip());
    if (token.isEmpty()) {
      throw unauthorized(
          ctx, "Bearer error=\"invalid_token\"", "the token is unknown or has been revoked");
    }
    return new Caller(token.get().principal(), token.get().role(), token.get().id(), false);
  }

  private Caller session(Context ctx, String sessionId) {
    Optional<Sessions.Session> session = sessions.find(sessionId);
    Optional<ApiToken> token =
        session.flatMap(s -> tokens.find(s.tokenId())).filter(t -> !t.revoked());
    if (session.isEmpty() || token.isEmpty()) {
      session.ifPresent(s -> sessions.close(s.id()));
      throw unauthorized(ctx, "Bearer", "the session has expired or its token was revoked");
    }
    if (changesState(ctx.method())) {
      String sent = ctx.header(CSRF_HEADER);
      if (sent == null || !constantTimeEquals(sent, session.get().csrfToken())) {
        throw new ApiException(
            403,
            "csrf",
            "a request with a session cookie that changes anything must send the session's CSRF"
                + " token in the "
                + CSRF_HEADER
                + " header");
      }
    }
    return new Caller(token.get().principal(), token.get().role(), token.get().id(), true);
  }

  static boolean changesState(HandlerType method) {
    return switch (method) {
      case GET, HEAD, OPTIONS -> false;
      default -> true;
    };
  }

  private static ApiException unauthorized(Context ctx, String challenge, String detail) {
    ctx.header("WWW-Authenticate", challenge);
    return new ApiException(401, "unauthorized", detail);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
