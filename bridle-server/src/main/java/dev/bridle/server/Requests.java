package dev.bridle.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.RunId;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates what a request says: its JSON body (an object with only the fields an
 * endpoint knows), path and query parameters. Every refusal names the field and the rule.
 */
final class Requests {

  private Requests() {}

  /** The body, a JSON object with no field outside {@code known}; required. */
  static ObjectNode body(Context ctx, Set<String> known) {
    byte[] bytes = bytes(ctx);
    if (bytes.length == 0) {
      throw ApiException.invalid(
          "body", "this request needs a JSON object body with the fields " + sorted(known));
    }
    return parse(ctx, bytes, known);
  }

  /** The body as {@link #body}, or an empty object when the request has none. */
  static ObjectNode optionalBody(Context ctx, Set<String> known) {
    byte[] bytes = bytes(ctx);
    return bytes.length == 0 ? Jsons.object() : parse(ctx, bytes, known);
  }

  /**
   * The body's bytes, read up to the limit: a body sent without a length (chunked) cannot get past
   * it either.
   */
  private static byte[] bytes(Context ctx) {
    int max = ctx.appData(BridleServer.MAX_REQUEST_BYTES);
    byte[] bytes;
    try {
      bytes = ctx.req().getInputStream().readNBytes(max + 1);
    } catch (IOException e) {
      throw ApiException.invalid("body", "the body could not be read: " + e.getMessage());
    }
    if (bytes.length > max) {
      throw new ApiException(
          413, "payload_too_large", "the body is larger than the limit of " + max + " bytes");
    }
    return bytes;
  }

  private static ObjectNode parse(Context ctx, byte[] bytes, Set<String> known) {
    String type = ctx.contentType();
    if (type == null
        || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "the body must be JSON with Content-Type: application/json, but the Content-Type was "
              + (type == null ? "missing" : "'" + type + "'"));
    }
    JsonNode node;
    try {
      node = Jsons.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("body", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.invalid("body", "the body could not be read: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.invalid("body", "the body must be a JSON object");
    }
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ApiException.invalid(
            name, "unknown field '" + name + "'; this request takes " + sorted(known));
      }
    }
    return object;
  }

  static String requiredText(ObjectNode body, String field, int maxChars) {
    return optionalText(body, field, maxChars)
        .filter(text -> !text.isBlank())
        .orElseThrow(() -> ApiException.invalid(field, field + " is required"));
  }

  static Optional<String> optionalText(ObjectNode body, String field, int maxChars) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw ApiException.invalid(
          field,
          field
              + " must be a string, but was "
              + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    String text = value.asText();
    if (text.length() > maxChars) {
      throw ApiException.invalid(
          field, field + " must be at most " + maxChars + " characters, but was " + text.length());
    }
    return Optional.of(text);
  }

  static RunId runId(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return RunId.of(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("id", e.getMessage());
    }
  }

  /** Query parameter {@code limit}: 1 to {@code max}, {@code fallback} when absent. */
  static int limit(Context ctx, int fallback, int max) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(
        "limit", "limit must be a whole number between 1 and " + max + ", but was '" + text + "'");
  }

  /** Query parameter {@code name} as an ISO-8601 instant, e.g. {@code 2026-11-22T08:00:00Z}. */
  static Optional<Instant> instantParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null ? Optional.empty() : Optional.of(instant(name, text));
  }

  static Instant instant(String field, String text) {
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          field,
          field
              + " must be an ISO-8601 instant such as 2026-11-22T08:00:00Z, but was '"
              + text
              + "'");
    }
  }

  /** Query parameter {@code name}, non-blank, at most {@code maxChars}; empty when absent. */
  static Optional<String> textParam(Context ctx, String name, int maxChars) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return Optional.empty();
    }
    if (text.isBlank() || text.length() > maxChars) {
      throw ApiException.invalid(
          name, name + " must be 1 to " + maxChars + " characters, but was '" + text + "'");
    }
    return Optional.of(text);
  }

  private static String sorted(Set<String> fields) {
    return String.join(", ", new TreeSet<>(fields));
  }
}
