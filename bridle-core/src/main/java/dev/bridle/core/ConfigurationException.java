package dev.bridle.core;

/** A builder, a workflow file or a tool definition is invalid; fix it and try again. */
public class ConfigurationException extends BridleException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
