package dev.bridle.examples.leads;

/**
 * A lead id that is not in the CRM. Thrown by a tool, its message becomes the error observation the
 * model reads, so it says which ids exist.
 */
public final class UnknownLeadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String leadId;

  UnknownLeadException(String leadId, String knownRange) {
    super("no lead " + leadId + " in the CRM; ids are " + knownRange);
    this.leadId = leadId;
  }

  public String leadId() {
    return leadId;
  }
}
