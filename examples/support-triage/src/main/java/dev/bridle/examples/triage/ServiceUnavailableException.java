package dev.bridle.examples.triage;

/**
 * A tool whose service did not answer. Only thrown by tools that an evaluation case's fixtures list
 * under {@code unavailable-tools}, to play an outage; its message becomes the error observation the
 * model reads, as a real outage's would.
 */
public final class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ServiceUnavailableException(String tool) {
    super("the support ticket service did not answer " + tool + "; try again later");
  }
}
