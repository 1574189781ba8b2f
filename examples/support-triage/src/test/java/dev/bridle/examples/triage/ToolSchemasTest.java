package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The schemas the model reads: snake_case names, enums, bounds, descriptions, required fields. */
class ToolSchemasTest {

  private final Map<String, ObjectNode> schemas =
      new SupportTriageTools().tools().stream().collect(Collectors.toMap(Tool::name, Tool::schema));

  @Test
  void searchSimilarTickets() {
    ObjectNode schema = schemas.get("search_similar_tickets");

    assertThat(required(schema)).containsExactlyInAnyOrder("query", "limit");
    assertThat(property(schema, "query").get("minLength").asInt()).isEqualTo(3);
    assertThat(property(schema, "query").get("maxLength").asInt()).isEqualTo(2000);
    assertThat(property(schema, "limit").get("type").asText()).isEqualTo("integer");
    assertThat(property(schema, "limit").get("minimum").asInt()).isEqualTo(1);
    assertThat(property(schema, "limit").get("maximum").asInt()).isEqualTo(5);
  }

  @Test
  void getTicket() {
    ObjectNode schema = schemas.get("get_ticket");

    assertThat(required(schema)).containsExactly("ticket_id");
    assertThat(property(schema, "ticket_id").get("pattern").asText()).isEqualTo("^T-\\d{4}$");
  }

  @Test
  void classifyTicket() {
    ObjectNode schema = schemas.get("classify_ticket");

    assertThat(required(schema)).containsExactlyInAnyOrder("category", "urgency", "reason");
    assertThat(strings(property(schema, "category").get("enum")))
        .containsExactly("billing", "bug", "account", "feature_request", "outage", "how_to");
    assertThat(strings(property(schema, "urgency").get("enum")))
        .containsExactly("low", "normal", "high", "urgent");
    assertThat(property(schema, "reason").get("minLength").asInt()).isEqualTo(10);
    assertThat(property(schema, "reason").get("maxLength").asInt()).isEqualTo(500);
  }

  @Test
  void draftReply() {
    ObjectNode schema = schemas.get("draft_reply");

    assertThat(required(schema)).containsExactlyInAnyOrder("subject", "body");
    assertThat(property(schema, "subject").get("minLength").asInt()).isEqualTo(1);
    assertThat(property(schema, "subject").get("maxLength").asInt()).isEqualTo(200);
    assertThat(property(schema, "body").get("minLength").asInt()).isEqualTo(20);
    assertThat(property(schema, "body").get("maxLength").asInt()).isEqualTo(5000);
  }

  @Test
  void createInternalNoteHasOptionalRelatedTickets() {
    ObjectNode schema = schemas.get("create_internal_note");

    assertThat(required(schema)).containsExactly("text");
    assertThat(property(schema, "text").get("minLength").asInt()).isEqualTo(10);
    assertThat(property(schema, "text").get("maxLength").asInt()).isEqualTo(5000);
    assertThat(property(schema, "related_tickets").get("items").get("type").asText())
        .isEqualTo("string");
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
    return strings(schema.get("required"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
