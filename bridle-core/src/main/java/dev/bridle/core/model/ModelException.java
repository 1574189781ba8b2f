package dev.bridle.core.model;

import dev.bridle.core.BridleException;
import java.time.Duration;
import java.util.Optional;

/**
 * A model call failed. {@link #kind()} says what happened so that callers (the loop, a retry
 * policy, a cascade) can decide what to do without parsing messages.
 */
public class ModelException extends BridleException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, grouped by what a caller can do about it. */
  public enum Kind {
    /** HTTP 429 or a provider quota: retriable after {@link #retryAfter()}. */
    RATE_LIMITED(true),
    /** A 5xx or a dropped connection: retriable. */
    PROVIDER_ERROR(true),
    /** No answer within the configured timeout: retriable. */
    TIMEOUT(true),
    /** The provider answered something that is not a valid response. */
    MALFORMED_RESPONSE(false),
    /** Bad credentials or no permission for the model. */
    AUTHENTICATION(false),
    /** The request was refused as invalid (4xx other than 401/403/429). */
    INVALID_REQUEST(false);

    private final boolean retriable;

    Kind(boolean retriable) {
      this.retriable = retriable;
    }

    public boolean retriable() {
      return retriable;
    }
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  public ModelException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public ModelException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retriable() {
    return kind.retriable();
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
