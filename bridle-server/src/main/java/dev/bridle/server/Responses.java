package dev.bridle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writes JSON responses, and errors as {@code {"error", "detail", "field"?}}. */
final class Responses {

  static final String JSON = "application/json; charset=utf-8";
  private static final int MAX_DETAIL_CHARS = 1_000;

  private Responses() {}

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType(JSON).result(Jsons.bytes(body));
  }

  static void ok(Context ctx, JsonNode body) {
    json(ctx, 200, body);
  }

  /**
   * The error body; its detail is redacted (it may echo what the caller sent) and cut to 1,000
   * characters.
   */
  static void error(Context ctx, Redactor redactor, ApiException e) {
    ObjectNode body = Jsons.object();
    body.put("error", e.error());
    String detail = redactor.text(e.getMessage() == null ? "" : e.getMessage());
    if (detail.length() > MAX_DETAIL_CHARS) {
      detail = detail.substring(0, MAX_DETAIL_CHARS) + "…";
    }
    body.put("detail", detail);
    e.field().ifPresent(field -> body.put("field", field));
    json(ctx, e.status(), body);
  }
}
