package dev.bridle.core;

/**
 * The one unchecked root of every exception Bridle throws. Subtypes are grouped by what the caller
 * can do about them (retry, fix the input, fix the configuration).
 */
public class BridleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BridleException(String message) {
    super(message);
  }

  public BridleException(String message, Throwable cause) {
    super(message, cause);
  }
}
