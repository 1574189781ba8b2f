package dev.bridle.examples.leads;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the CRM's {@code leads} table.
 *
 * @param id {@code L-} and four digits, e.g. {@code L-1004}
 * @param bio the public-facing summary the enrichment workflow fills in; empty when none
 * @param notes what sales wrote about the lead; the workflow never changes it
 * @param updatedBy who changed the row last: {@code signup-form} for the bundled data, the agent's
 *     identity ({@code agent:lead-enrichment@1}) after an enrichment
 */
public record Lead(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("email") String email,
    @JsonProperty("company") String company,
    @JsonProperty("bio") String bio,
    @JsonProperty("notes") String notes,
    @JsonProperty("updated_by") String updatedBy,
    @JsonProperty("updated_at") Instant updatedAt) {

  public Lead {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(company, "company");
    Objects.requireNonNull(bio, "bio");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(updatedBy, "updatedBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!LeadCrm.LEAD_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "lead id must match " + LeadCrm.LEAD_ID + ", but was '" + id + "'");
    }
  }

  /** The value of an editable field ({@link LeadCrm#EDITABLE_FIELDS}). */
  String field(String field) {
    return switch (field) {
      case "name" -> name;
      case "email" -> email;
      case "company" -> company;
      case "bio" -> bio;
      case "notes" -> notes;
      default ->
          throw new IllegalArgumentException(
              "'"
                  + field
                  + "' is not an editable lead field; use one of "
                  + LeadCrm.EDITABLE_FIELDS);
    };
  }
}
