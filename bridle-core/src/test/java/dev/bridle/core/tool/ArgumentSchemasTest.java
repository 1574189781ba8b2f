package dev.bridle.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
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
