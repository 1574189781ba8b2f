package dev.bridle.core.tool;

import dev.bridle.core.BridleException;

/** A tool asked for a credential it may not have: not configured, or a kill switch is on. */
public final class CredentialRefusedException extends BridleException {
  public CredentialRefusedException(String message) {
    super(message);
  }
}
