package dev.bridle.examples.leads;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code changes} argument of {@code update_lead}: new values for some editable fields, the
 * others absent. Absent fields are left out of its JSON, so the fields a call changes are exactly
 * the keys of its {@code changes} object, which is what a {@code writable-fields} constraint
 * checks.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record LeadChanges(
    @JsonPropertyDescription("The person's full name")
        Optional<@Size(min = 1, max = 120) String> name,
    @JsonPropertyDescription("The person's e-mail address")
        Optional<@Pattern(regexp = LeadEnrichmentTools.EMAIL) String> email,
    @JsonPropertyDescription("The company the person works for")
        Optional<@Size(min = 1, max = 120) String> company,
    @JsonPropertyDescription("A short factual summary of who the person is")
        Optional<@Size(max = 500) String> bio,
    @JsonPropertyDescription("What sales knows about the lead")
        Optional<@Size(max = 2000) String> notes) {

  public LeadChanges {
    name = name == null ? Optional.empty() : name;
    email = email == null ? Optional.empty() : email;
    company = company == null ? Optional.empty() : company;
    bio = bio == null ? Optional.empty() : bio;
    notes = notes == null ? Optional.empty() : notes;
  }

  /** Changes of the fields in {@code fields} (names from {@link LeadCrm#EDITABLE_FIELDS}). */
  public static LeadChanges of(Map<String, String> fields) {
    fields.keySet().stream()
        .filter(field -> !LeadCrm.EDITABLE_FIELDS.contains(field))
        .findFirst()
        .ifPresent(
            field -> {
              throw new IllegalArgumentException(
                  "'"
                      + field
                      + "' is not an editable lead field; use one of "
                      + LeadCrm.EDITABLE_FIELDS);
            });
    return new LeadChanges(
        Optional.ofNullable(fields.get("name")),
        Optional.ofNullable(fields.get("email")),
        Optional.ofNullable(fields.get("company")),
        Optional.ofNullable(fields.get("bio")),
        Optional.ofNullable(fields.get("notes")));
  }

  /** The fields present, by name. */
  public Map<String, String> asMap() {
    Map<String, String> fields = new TreeMap<>();
    name.ifPresent(value -> fields.put("name", value));
    email.ifPresent(value -> fields.put("email", value));
    company.ifPresent(value -> fields.put("company", value));
    bio.ifPresent(value -> fields.put("bio", value));
    notes.ifPresent(value -> fields.put("notes", value));
    return fields;
  }
}
