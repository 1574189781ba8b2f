package dev.bridle.server;

import java.util.Optional;

/**
 * A request the API refuses, with the HTTP status, a stable error code and a detail that names what
 * was wrong; written as {@code {"error": code, "detail": detail, "field": field}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final transient Optional<String> field;

  ApiException(int status, String error, String detail, Optional<String> field) {
    super(detail);
    this.status = status;
    this.error = error;
    this.field = field;
  }

  ApiException(int status, String error, String detail) {
    this(status, error, detail, Optional.empty());
  }

  /** 400: a field of the request is missing or wrong. */
  static ApiException invalid(String field, String detail) {
    return new ApiException(400, "invalid_request", detail, Optional.of(field));
  }

  static ApiException notFound(String detail) {
    return new ApiException(404, "not_found", detail);
  }

  static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", detail);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  Optional<String> field() {
    return field;
  }
}
