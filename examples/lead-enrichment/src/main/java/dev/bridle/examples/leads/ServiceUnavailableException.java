package dev.bridle.examples.leads;

/**
 * A tool's service did not answer. Only the isolated tools of an evaluation case throw it, for the
 * tools its fixtures list as {@code unavailable}; thrown by a tool, its message becomes the error
 * observation the model reads.
 */
public final class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ServiceUnavailableException(String tool) {
    super("the service behind " + tool + " is unavailable (HTTP 503); nothing was read or written");
  }
}
