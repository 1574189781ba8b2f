package dev.bridle.examples.triage;

/**
 * A ticket id that is not in the archive. Thrown by a tool, its message becomes the error
 * observation the model reads, so it says which ids exist.
 */
public final class UnknownTicketException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String ticketId;

  UnknownTicketException(String ticketId, String knownRange) {
    super("no ticket " + ticketId + "; ids are " + knownRange);
    this.ticketId = ticketId;
  }

  public String ticketId() {
    return ticketId;
  }
}
