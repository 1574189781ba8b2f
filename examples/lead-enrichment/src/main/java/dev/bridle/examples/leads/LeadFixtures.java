package dev.bridle.examples.leads;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The initial data of one evaluation case for the {@code lead-enrichment} tools, read from the
 * case's {@code fixtures} (see {@link LeadEnrichmentTools#isolatedTools} for the shape). Every
 * problem is an {@link IllegalArgumentException} whose message names the field, e.g. {@code
 * lead-enrichment fixtures: leads[2].email: must be an e-mail address, but was 'nobody'}.
 *
 * @param leads the CRM's rows: the fixture's, else the bundled leads
 * @param profiles the public profiles: the fixture's, else the bundled profiles
 * @param unavailable the tools that fail as if their service were down
 */
record LeadFixtures(List<Lead> leads, PublicProfiles profiles, Set<String> unavailable) {

  /** The tools a fixture may make unavailable. */
  static final List<String> TOOLS =
      List.of("get_lead", "find_public_profile", "update_lead_bio", "update_lead");

  /** The {@code updated_at} of a fixture lead that gives none (the bundled leads' date). */
  static final Instant DEFAULT_UPDATED_AT = Instant.parse("2026-11-02T09:00:00Z");

  private static final List<String> KEYS = List.of("leads", "profiles", "unavailable");
  private static final List<String> LEAD_KEYS =
      List.of("id", "name", "email", "company", "bio", "notes", "updated_by", "updated_at");
  private static final List<String> PROFILE_KEYS =
      List.of("email", "name", "headline", "company", "location", "about", "source");
  private static final Pattern EMAIL = Pattern.compile(LeadEnrichmentTools.EMAIL);

  LeadFixtures {
    leads = List.copyOf(leads);
    Objects.requireNonNull(profiles, "profiles");
    unavailable = Set.copyOf(unavailable);
  }

  /**
   * Reads {@code fixtures}: a JSON object; {@code null}, a JSON null or an empty object mean the
   * bundled data with every tool available.
   */
  static LeadFixtures parse(JsonNode fixtures) {
    if (fixtures == null || fixtures.isNull() || fixtures.isMissingNode()) {
      return new LeadFixtures(LeadCrm.bundledLeads(), PublicProfiles.bundled(), Set.of());
    }
    if (!fixtures.isObject()) {
      throw invalid("", "must be a JSON object", fixtures);
    }
    checkKeys(fixtures, "", KEYS);
    List<Lead> leads =
        fixtures.has("leads")
            ? leads(array(fixtures.get("leads"), "leads"))
            : LeadCrm.bundledLeads();
    PublicProfiles profiles =
        fixtures.has("profiles")
            ? PublicProfiles.of(profiles(array(fixtures.get("profiles"), "profiles")))
            : PublicProfiles.bundled();
    Set<String> unavailable =
        fixtures.has("unavailable")
            ? unavailable(array(fixtures.get("unavailable"), "unavailable"))
            : Set.of();
    return new LeadFixtures(leads, profiles, unavailable);
  }

  private static List<Lead> leads(JsonNode array) {
    List<Lead> leads = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    Map<String, String> emails = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "leads[" + i + "]";
      JsonNode lead = object(array.get(i), at);
      checkKeys(lead, at, LEAD_KEYS);
      String id = required(lead, at, "id");
      if (!LeadCrm.LEAD_ID.matcher(id).matches()) {
        throw invalid(at + ".id", "must be L- and four digits, like L-1004", lead.get("id"));
      }
      String email = email(lead, at);
      unique(ids, id, at + ".id");
      unique(emails, email.toLowerCase(Locale.ROOT), at + ".email");
      leads.add(
          new Lead(
              id,
              required(lead, at, "name"),
              email,
              required(lead, at, "company"),
              optional(lead, at, "bio"),
              optional(lead, at, "notes"),
              optional(lead, at, "updated_by", "signup-form"),
              instant(lead, at)));
    }
    return leads;
  }

  private static List<PublicProfile> profiles(JsonNode array) {
    List<PublicProfile> profiles = new ArrayList<>();
    Map<String, String> emails = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "profiles[" + i + "]";
      JsonNode profile = object(array.get(i), at);
      checkKeys(profile, at, PROFILE_KEYS);
      String email = email(profile, at);
      unique(emails, email.toLowerCase(Locale.ROOT), at + ".email");
      profiles.add(
          new PublicProfile(
              email,
              required(profile, at, "name"),
              optional(profile, at, "headline"),
              required(profile, at, "company"),
              optional(profile, at, "location"),
              optional(profile, at, "about"),
              optional(profile, at, "source")));
    }
    return profiles;
  }

  private static Set<String> unavailable(JsonNode array) {
    Set<String> tools = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode tool = array.get(i);
      String at = "unavailable[" + i + "]";
      if (!tool.isTextual() || !TOOLS.contains(tool.asText())) {
        throw invalid(at, "must be one of " + TOOLS, tool);
      }
      tools.add(tool.asText());
    }
    return tools;
  }

  private static String email(JsonNode node, String at) {
    String email = required(node, at, "email");
    if (!EMAIL.matcher(email).matches()) {
      throw invalid(at + ".email", "must be an e-mail address", node.get("email"));
    }
    return email;
  }

  private static Instant instant(JsonNode lead, String at) {
    String text = optional(lead, at, "updated_at", DEFAULT_UPDATED_AT.toString());
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(
          at + ".updated_at",
          "must be an ISO-8601 instant like 2026-11-02T09:00:00Z",
          lead.get("updated_at"));
    }
  }

  private static void unique(Map<String, String> seen, String value, String at) {
    String first = seen.putIfAbsent(value, at);
    if (first != null) {
      throw new IllegalArgumentException(
          prefix(at) + "'" + value + "' appears twice (first at " + first + ")");
    }
  }

  private static String required(JsonNode node, String at, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(prefix(at + "." + field) + "is required");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalid(at + "." + field, "must be a non-blank text", value);
    }
    return value.asText().strip();
  }

  private static String optional(JsonNode node, String at, String field) {
    return optional(node, at, field, "");
  }

  private static String optional(JsonNode node, String at, String field, String absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isTextual()) {
      throw invalid(at + "." + field, "must be a text", value);
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String at) {
    if (!node.isArray()) {
      throw invalid(at, "must be a list", node);
    }
    return node;
  }

  private static JsonNode object(JsonNode node, String at) {
    if (!node.isObject()) {
      throw invalid(at, "must be an object", node);
    }
    return node;
  }

  private static void checkKeys(JsonNode node, String at, List<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            prefix(at.isEmpty() ? name : at + "." + name)
                + "unknown field; known fields: "
                + String.join(", ", known));
      }
    }
  }

  private static IllegalArgumentException invalid(String at, String rule, JsonNode value) {
    return new IllegalArgumentException(prefix(at) + rule + ", but was " + describe(value));
  }

  private static String prefix(String at) {
    return LeadEnrichmentTools.NAME + " fixtures: " + (at.isEmpty() ? "" : at + ": ");
  }

  private static String describe(JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      return "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + value;
  }
}
