package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.tool.Tool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schemas the model reads: snake_case names, patterns, bounds, descriptions, required fields.
 */
class ToolSchemasTest {

  private final Map<String, ObjectNode> schemas =
      new LeadEnrichmentTools(
              LeadCrm.at(Path.of("never-opened.db")), PublicProfiles.bundled(), Clock.systemUTC())
          .tools().stream().collect(Collectors.toMap(Tool::name, Tool::schema));

  @Test
  void getLead() {
    ObjectNode schema = schemas.get("get_lead");

    assertThat(required(schema)).containsExactly("lead_id");
    assertThat(property(schema, "lead_id").get("pattern").asText()).isEqualTo("^L-\\d{4}$");
  }

  @Test
  void findPublicProfileNeedsAnEmailAndMayHaveAName() {
    ObjectNode schema = schemas.get("find_public_profile");

    assertThat(required(schema)).containsExactly("email");
    assertThat(property(schema, "name").get("type").toString()).isEqualTo("[\"string\",\"null\"]");
    assertThat(property(schema, "email").get("pattern").asText()).startsWith("^[^@\\s]");
  }

  @Test
  void updateLeadBioTakesTheLeadAndABioOfAtMost500Characters() {
    ObjectNode schema = schemas.get("update_lead_bio");

    assertThat(required(schema)).containsExactlyInAnyOrder("lead_id", "bio");
    assertThat(property(schema, "bio").get("maxLength").asInt()).isEqualTo(500);
    assertThat(property(schema, "bio").has("minLength"))
        .as("an empty bio is allowed: it is what the inverse call restores")
        .isFalse();
  }

  @Test
  void updateLeadOffersTheFiveEditableFieldsAndNoOther() {
    JsonNode changes = property(schemas.get("update_lead"), "changes");

    assertThat(names(changes.get("properties")))
        .containsExactlyInAnyOrderElementsOf(LeadCrm.EDITABLE_FIELDS);
    assertThat(changes.get("additionalProperties").asBoolean()).isFalse();
    assertThat(changes.has("required")).as("every field is optional").isFalse();
  }

  @Test
  void everyPropertyIsDescribedAndNoOtherPropertyIsAllowed() {
    assertThat(schemas.values())
        .allSatisfy(
            schema -> {
              assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
              schema
                  .get("properties")
                  .properties()
                  .forEach(
                      property -> {
                        assertThat(property.getKey()).matches("[a-z]+(_[a-z]+)*");
                        assertThat(property.getValue().path("description").asText())
                            .as("description of %s", property.getKey())
                            .isNotBlank();
                      });
            });
  }

  private static JsonNode property(ObjectNode schema, String name) {
    return schema.get("properties").get(name);
  }

  private static List<String> required(ObjectNode schema) {
    List<String> values = new ArrayList<>();
    schema.path("required").forEach(value -> values.add(value.asText()));
    return values;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
