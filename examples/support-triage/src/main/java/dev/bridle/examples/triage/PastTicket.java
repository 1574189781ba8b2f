package dev.bridle.examples.triage;

import java.util.Objects;

/**
 * A resolved support ticket from the archive.
 *
 * @param id {@code T-} and four digits, e.g. {@code T-1001}
 * @param resolution how support resolved it, for a person drafting a similar answer
 */
public record PastTicket(
    String id, String subject, String body, Category category, Urgency urgency, String resolution) {

  public PastTicket {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(urgency, "urgency");
    Objects.requireNonNull(resolution, "resolution");
    if (!TicketArchive.TICKET_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "ticket id must match " + TicketArchive.TICKET_ID + ", but was '" + id + "'");
    }
  }
}
