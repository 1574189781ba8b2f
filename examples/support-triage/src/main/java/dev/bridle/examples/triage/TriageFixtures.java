package dev.bridle.examples.triage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The initial data of one evaluation case, read from the case's {@code fixtures} for {@code
 * support-triage}: which past tickets the archive holds, and which tools are unavailable.
 *
 * <p>The shape is documented on {@link SupportTriageTools}. Every mistake is an {@link
 * IllegalArgumentException} whose message names the field, e.g. {@code fixtures.tickets[2].urgency:
 * must be one of low, normal, high, urgent, but was 'critical'}.
 *
 * @param tickets the archive's tickets
 * @param unavailableTools names of tools that fail with a simulated outage
 */
record TriageFixtures(List<PastTicket> tickets, Set<String> unavailableTools) {

  static final String TICKETS = "tickets";
  static final String EXTRA_TICKETS = "extra-tickets";
  static final String UNAVAILABLE_TOOLS = "unavailable-tools";

  private static final Set<String> KEYS = Set.of(TICKETS, EXTRA_TICKETS, UNAVAILABLE_TOOLS);
  private static final List<String> TICKET_FIELDS =
      List.of("id", "subject", "body", "category", "urgency", "resolution");

  TriageFixtures {
    tickets = List.copyOf(tickets);
    unavailableTools = Set.copyOf(unavailableTools);
  }

  /**
   * Reads {@code fixtures}; {@code toolNames} are the tools {@code unavailable-tools} may name.
   *
   * @throws IllegalArgumentException naming the field that does not fit
   */
  static TriageFixtures parse(JsonNode fixtures, Set<String> toolNames) {
    Objects.requireNonNull(fixtures, "fixtures");
    if (!fixtures.isObject()) {
      throw new IllegalArgumentException(
          "fixtures: must be a JSON object, but was " + describe(fixtures));
    }
    requireKnownKeys("fixtures", fixtures, KEYS);
    List<PastTicket> tickets =
        fixtures.has(TICKETS)
            ? ticketList("fixtures." + TICKETS, fixtures.get(TICKETS), true)
            : BundledTickets.TICKETS;
    List<PastTicket> all = new ArrayList<>(tickets);
    if (fixtures.has(EXTRA_TICKETS)) {
      all.addAll(ticketList("fixtures." + EXTRA_TICKETS, fixtures.get(EXTRA_TICKETS), false));
    }
    requireUniqueIds(all, fixtures.has(TICKETS));
    Set<String> unavailable =
        fixtures.has(UNAVAILABLE_TOOLS)
            ? toolNames("fixtures." + UNAVAILABLE_TOOLS, fixtures.get(UNAVAILABLE_TOOLS), toolNames)
            : Set.of();
    return new TriageFixtures(all, unavailable);
  }

  /** The bundled archive's tickets, read once, when the first case needs them. */
  private static final class BundledTickets {
    static final List<PastTicket> TICKETS = TicketArchive.bundled().tickets();
  }

  private static List<PastTicket> ticketList(String path, JsonNode node, boolean nonEmpty) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          path + ": must be a list of tickets, but was " + describe(node));
    }
    if (nonEmpty && node.isEmpty()) {
      throw new IllegalArgumentException(
          path + ": must hold at least one ticket (leave it out for the bundled archive)");
    }
    List<PastTicket> tickets = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      tickets.add(ticket(path + "[" + i + "]", node.get(i)));
    }
    return tickets;
  }

  private static PastTicket ticket(String path, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          path + ": must be a ticket object, but was " + describe(node));
    }
    requireKnownKeys(path, node, Set.copyOf(TICKET_FIELDS));
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : TICKET_FIELDS) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException(path + "." + field + ": is required");
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw new IllegalArgumentException(
            path + "." + field + ": must be a non-blank string, but was " + describe(value));
      }
      values.put(field, value.asText());
    }
    String id = values.get("id");
    if (!TicketArchive.TICKET_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          path + ".id: must be T- and four digits (e.g. T-2001), but was '" + id + "'");
    }
    return new PastTicket(
        id,
        values.get("subject"),
        values.get("body"),
        constant(path + ".category", Category.class, values.get("category")),
        constant(path + ".urgency", Urgency.class, values.get("urgency")),
        values.get("resolution"));
  }

  private static <E extends Enum<E>> E constant(String path, Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants())
        .filter(c -> c.name().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    path
                        + ": must be one of "
                        + Arrays.stream(type.getEnumConstants())
                            .map(Enum::name)
                            .collect(Collectors.joining(", "))
                        + ", but was '"
                        + value
                        + "'"));
  }

  private static void requireUniqueIds(List<PastTicket> tickets, boolean ownTickets) {
    Set<String> seen = new TreeSet<>();
    for (PastTicket ticket : tickets) {
      if (!seen.add(ticket.id())) {
        throw new IllegalArgumentException(
            "fixtures: ticket id "
                + ticket.id()
                + " appears twice"
                + (ownTickets ? "" : " (the bundled archive holds T-1001..T-1024)"));
      }
    }
  }

  private static Set<String> toolNames(String path, JsonNode node, Set<String> known) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          path + ": must be a list of tool names, but was " + describe(node));
    }
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode name = node.get(i);
      if (!name.isTextual() || !known.contains(name.asText())) {
        throw new IllegalArgumentException(
            path
                + "["
                + i
                + "]: must name a support-triage tool ("
                + String.join(", ", new TreeSet<>(known))
                + "), but was "
                + describe(name));
      }
      names.add(name.asText());
    }
    return names;
  }

  private static void requireKnownKeys(String path, JsonNode node, Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            path
                + ": unknown key '"
                + name
                + "'; known keys: "
                + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  private static String describe(JsonNode node) {
    String type =
        switch (node.getNodeType()) {
          case ARRAY -> "a list";
          case OBJECT -> "an object";
          case STRING -> "the string";
          case NUMBER -> "the number";
          case BOOLEAN -> "the boolean";
          case NULL, MISSING -> "null";
          default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    return switch (node.getNodeType()) {
      case STRING -> type + " '" + node.asText() + "'";
      case NUMBER, BOOLEAN -> type + " " + node.asText();
      default -> type;
    };
  }
}
