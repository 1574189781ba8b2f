package dev.bridle.examples.triage;

/**
 * A past ticket found by {@link TicketArchive#mostSimilar}, as the model sees it.
 *
 * @param score the similarity to the query, from 0 (no word in common) to 1 (the same words),
 *     rounded to three decimals
 */
public record TicketMatch(
    String id,
    String subject,
    Category category,
    Urgency urgency,
    String resolution,
    double score) {

  static TicketMatch of(PastTicket ticket, double score) {
    return new TicketMatch(
        ticket.id(),
        ticket.subject(),
        ticket.category(),
        ticket.urgency(),
        ticket.resolution(),
        Math.round(score * 1000) / 1000.0);
  }
}
