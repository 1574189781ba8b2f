package dev.bridle.examples.triage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolved past tickets, searchable by id and by text similarity. Immutable and thread-safe.
 *
 * <p>{@link #bundled()} is the archive shipped with this example: 24 invented tickets of
 * Quillstack, a fictional time-tracking and invoicing service, with ids {@code T-1001} to {@code
 * T-1024}.
 */
public final class TicketArchive {

  /** The shape of a ticket id. */
  public static final Pattern TICKET_ID = Pattern.compile("T-\\d{4}");

  private static final String BUNDLED_RESOURCE = "tickets.json";

  private final Map<String, PastTicket> byId;
  private final Map<String, Set<String>> termsById;

  private TicketArchive(List<PastTicket> tickets) {
    Map<String, PastTicket> ordered = new LinkedHashMap<>();
    Map<String, Set<String>> terms = new LinkedHashMap<>();
    tickets.stream()
        .sorted(Comparator.comparing(PastTicket::id))
        .forEach(
            ticket -> {
              if (ordered.putIfAbsent(ticket.id(), ticket) != null) {
                throw new IllegalArgumentException(
                    "ticket ids must be unique, but " + ticket.id() + " appears twice");
              }
              terms.put(ticket.id(), TextSimilarity.terms(ticket.subject() + "\n" + ticket.body()));
            });
    this.byId = Collections.unmodifiableMap(ordered);
    this.termsById = Collections.unmodifiableMap(terms);
  }

  /** An archive of these tickets; ids must be unique and there must be at least one ticket. */
  public static TicketArchive of(List<PastTicket> tickets) {
    if (tickets.isEmpty()) {
      throw new IllegalArgumentException("a ticket archive needs at least one ticket");
    }
    return new TicketArchive(tickets);
  }

  /** The archive shipped with this example, read from the class path. */
  public static TicketArchive bundled() {
    ObjectMapper mapper =
        JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try (InputStream in = TicketArchive.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled ticket archive "
                + BUNDLED_RESOURCE
                + " is missing from the class path next to "
                + TicketArchive.class.getName());
      }
      return of(mapper.readValue(in, new TypeReference<List<PastTicket>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled ticket archive", e);
    }
  }

  /** All tickets, ordered by id. */
  public List<PastTicket> tickets() {
    return List.copyOf(byId.values());
  }

  public Optional<PastTicket> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The ticket with this id, or an {@link UnknownTicketException} that says which ids exist. */
  public PastTicket require(String id) {
    PastTicket ticket = byId.get(id);
    if (ticket == null) {
      throw new UnknownTicketException(id, knownRange());
    }
    return ticket;
  }

  /**
   * At most {@code limit} tickets that share a term with {@code text}, most similar first; ties go
   * to the lower id. Empty when no ticket shares a term.
   */
  public List<TicketMatch> mostSimilar(String text, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
    Set<String> query = TextSimilarity.terms(text);
    return byId.values().stream()
        .map(ticket -> TicketMatch.of(ticket, similarity(query, ticket)))
        .filter(match -> match.score() > 0)
        .sorted(
            Comparator.comparingDouble(TicketMatch::score)
                .reversed()
                .thenComparing(TicketMatch::id))
        .limit(limit)
        .toList();
  }

  /** The first and the last id, e.g. {@code T-1001..T-1024}. */
  public String knownRange() {
    List<String> ids = List.copyOf(byId.keySet());
    return ids.size() == 1 ? ids.get(0) : ids.get(0) + ".." + ids.get(ids.size() - 1);
  }

  private double similarity(Set<String> query, PastTicket ticket) {
    return TextSimilarity.jaccard(query, termsById.get(ticket.id()));
  }
}
