package dev.bridle.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ToolCall;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentSchemasTest {

  enum Priority {
    LOW,
    HIGH
  }

  @JsonClassDescription("Create a ticket")
  record CreateTicket(
      @JsonPropertyDescription("Short summary") @Size(min = 3, max = 80) String title,
      @JsonPropertyDescription("Ticket id of a duplicate") @Pattern(regexp = "T-\\d{4}")
          Optional<String> duplicateOf,
      @Min(1) @Max(5) int severity,
      Priority priority,
      List<String> tags) {}

  @Test
  void generatesDescriptionsConstraintsAndRequiredFromTheRecord() {
    ObjectNode schema = ArgumentSchemas.generate(CreateTicket.class);

    assertThat(schema.path("type").asText()).isEqualTo("object");
    assertThat(schema.path("description").asText()).isEqualTo("Create a ticket");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    ObjectNode properties = (ObjectNode) schema.path("properties");
    assertThat(properties.path("title").path("description").asText()).isEqualTo("Short summary");
    assertThat(properties.path("title").path("minLength").asInt()).isEqualTo(3);
    assertThat(properties.path("title").path("maxLength").asInt()).isEqualTo(80);
    assertThat(properties.path("duplicateOf").path("pattern").asText()).isEqualTo("T-\\d{4}");
    assertThat(properties.path("severity").path("type").asText()).isEqualTo("integer");
    assertThat(properties.path("severity").path("minimum").asInt()).isEqualTo(1);
    assertThat(properties.path("severity").path("maximum").asInt()).isEqualTo(5);
    assertThat(properties.path("priority").path("enum").toString()).isEqualTo("[\"LOW\",\"HIGH\"]");
    assertThat(properties.path("tags").path("type").asText()).isEqualTo("array");
    assertThat(schema.path("required").toString())
        .contains("title", "severity", "priority", "tags")
        .doesNotContain("duplicateOf");
  }

  @Test
  void toolboxBindsValidArgumentsToTheRecord() {
    Toolbox toolbox = Toolbox.of(tool("create_ticket"));

    ToolResolution resolution =
        toolbox.resolve(
            new ToolCall(
                "c1",
                "create_ticket",
                "{\"title\":\"Login fails\",\"severity\":2,\"priority\":\"HIGH\",\"tags\":[]}"));

    assertThat(resolution).isInstanceOf(ToolResolution.Resolved.class);
    CreateTicket args = (CreateTicket) ((ToolResolution.Resolved) resolution).typedArguments();
    assertThat(args)
        .isEqualTo(new CreateTicket("Login fails", Optional.empty(), 2, Priority.HIGH, List.of()));
  }

  @Test
  void patternViolationNamesThePath() {
    ToolResolution resolution =
        Toolbox.of(tool("create_ticket"))
            .resolve(
                new ToolCall(
                    "c1",
                    "create_ticket",
                    "{\"title\":\"ab\",\"duplicateOf\":\"X\",\"severity\":2,\"priority\":\"LOW\",\"tags\":[]}"));

    assertThat(resolution).isInstanceOf(ToolResolution.InvalidArguments.class);
    String observation = ((ToolResolution.InvalidArguments) resolution).observation();
    assertThat(observation).contains("$.duplicateOf").contains("(rule: pattern)");
    assertThat(observation).contains("$.title").contains("(rule: minLength)");
  }

  record Note(
      @Size(min = 10) String text,
      @JsonProperty("related_tickets") @Size(max = 3)
          Optional<List<@Pattern(regexp = "^T-\\d{4}$") String>> relatedTickets,
      Optional<@Size(min = 2, max = 5) String> tag,
      Optional<Set<@Size(max = 4) String>> labels,
      Optional<List<@Min(1) @Max(5) Integer>> scores,
      Optional<List<Optional<@Pattern(regexp = "x+") String>>> marks,
      OptionalInt priority) {}

  private static ToolResolution resolveNote(String arguments) {
    Tool<Note> note =
        Tool.builder("note", Note.class).description("Note").handler((a, c) -> "ok").build();
    return Toolbox.of(note).resolve(new ToolCall("c1", "note", arguments));
  }

  @Test
  void itemConstraintsOfAnOptionalListAreKept() {
    ObjectNode properties = (ObjectNode) ArgumentSchemas.generate(Note.class).path("properties");

    assertThat(properties.path("related_tickets").path("maxItems").asInt()).isEqualTo(3);
    assertThat(properties.path("related_tickets").path("items").path("pattern").asText())
        .isEqualTo("^T-\\d{4}$");
    assertThat(properties.path("labels").path("items").path("maxLength").asInt()).isEqualTo(4);
    assertThat(properties.path("scores").path("items").path("minimum").asInt()).isEqualTo(1);
    assertThat(properties.path("scores").path("items").path("maximum").asInt()).isEqualTo(5);
    assertThat(properties.path("marks").path("items").path("pattern").asText()).isEqualTo("x+");
    assertThat(properties.path("tag").path("minLength").asInt()).isEqualTo(2);
    assertThat(properties.path("tag").path("maxLength").asInt()).isEqualTo(5);
    assertThat(properties.path("tag").has("pattern")).isFalse();
  }

  @Test
  void aMalformedItemOfAnOptionalListIsInvalid() {
    ToolResolution bad =
        resolveNote("{\"text\": \"Compare with the old case.\", \"related_tickets\": [\"1001\"]}");
    ToolResolution good =
        resolveNote(
            "{\"text\": \"Compare with the old case.\", \"related_tickets\": [\"T-1001\"]}");

    assertThat(bad).isInstanceOf(ToolResolution.InvalidArguments.class);
    assertThat(bad.rejection().orElseThrow())
        .contains("$.related_tickets[0]")
        .contains("(rule: pattern)");
    assertThat(good).isInstanceOf(ToolResolution.Resolved.class);
    assertThat(((Note) ((ToolResolution.Resolved) good).typedArguments()).relatedTickets())
        .contains(List.of("T-1001"));
  }

  @Test
  void anOptionalStringKeepsItsSizeAndAnOptionalIntIsANumber() {
    ToolResolution shortTag =
        resolveNote("{\"text\": \"Compare with the old case.\", \"tag\": \"x\"}");
    ToolResolution withPriority =
        resolveNote("{\"text\": \"Compare with the old case.\", \"priority\": 2}");

    assertThat(shortTag.rejection().orElseThrow()).contains("$.tag").contains("(rule: minLength)");
    assertThat(
            ArgumentSchemas.generate(Note.class)
                .path("properties")
                .path("priority")
                .path("type")
                .toString())
        .contains("integer");
    assertThat(withPriority).isInstanceOf(ToolResolution.Resolved.class);
    assertThat(((Note) ((ToolResolution.Resolved) withPriority).typedArguments()).priority())
        .isEqualTo(OptionalInt.of(2));
  }

  @Test
  void aSchemaIsGeneratedOncePerTypeAndEveryCallerGetsItsOwnCopy() throws Exception {
    ObjectNode first = ArgumentSchemas.generate(CreateTicket.class);
    first.put("title", "changed by a caller");
    ((ObjectNode) first.path("properties")).remove("title");

    ObjectNode second = ArgumentSchemas.generate(CreateTicket.class);

    assertThat(second.has("title")).isFalse();
    assertThat(second.path("properties").has("title")).isTrue();
    assertThat(ArgumentSchemas.validator(CreateTicket.class))
        .isSameAs(ArgumentSchemas.validator(CreateTicket.class));
    assertThat(tool("a").schema()).isEqualTo(tool("b").schema());
  }

  @Test
  void toolsBuiltOnManyThreadsAtOnceGetTheSameSchema() throws Exception {
    record Fresh(@Size(max = 7) String value, Optional<List<@Min(2) Integer>> numbers) {}
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<ObjectNode>> schemas = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        schemas.add(
            pool.submit(
                () ->
                    Tool.builder("fresh", Fresh.class)
                        .description("d")
                        .handler((a, c) -> "ok")
                        .build()
                        .schema()));
      }
      ObjectNode expected = schemas.getFirst().get();
      assertThat(expected.path("properties").path("value").path("maxLength").asInt()).isEqualTo(7);
      for (java.util.concurrent.Future<ObjectNode> schema : schemas) {
        assertThat(schema.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void duplicateNamesAndBadNamesAreConfigurationErrors() {
    assertThatThrownBy(() -> Toolbox.of(tool("a"), tool("a")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("two tools are named 'a': tool names must be unique in a workflow");
    assertThatThrownBy(() -> tool("has space"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tool name must match");
    assertThatThrownBy(
            () -> Tool.builder("x", String.class).description("d").handler((a, c) -> a).build())
        .hasMessage("tool 'x': argument type must be a record, but was java.lang.String");
  }

  private static Tool<CreateTicket> tool(String name) {
    return Tool.builder(name, CreateTicket.class)
        .description("Create a ticket")
        .effect(Effect.WRITE)
        .handler((args, ctx) -> "T-0001")
        .build();
  }
}
