package dev.bridle.core.journal;

import dev.bridle.core.BridleException;

/**
 * The store cannot be reached or refused the write (the database went away, the disk is full).
 * Nothing that was not appended has happened: write-ahead means an effect only runs after its event
 * is durable, so the run can be resumed once the store is back.
 */
public final class StoreUnavailableException extends BridleException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
