package dev.bridle.core.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.model.ToolCall;
import org.junit.jupiter.api.Test;

class ToolboxTest {

  record Lookup(String id) {}

  private final Toolbox toolbox =
      Toolbox.of(
          Tool.builder("find_lead", Lookup.class)
              .description("Find a lead")
              .handler((args, call) -> "lead " + args.id())
              .build());

  @Test
  void oneJsonObjectIsArguments() {
    ToolResolution resolution =
        toolbox.resolve(new ToolCall("c1", "find_lead", "{\"id\":\"L-1\"}"));

    assertThat(resolution).isNotInstanceOf(ToolResolution.InvalidArguments.class);
  }

  @Test
  void textAfterTheFirstJsonValueMakesTheArgumentsInvalid() {
    ToolResolution resolution =
        toolbox.resolve(new ToolCall("c1", "find_lead", "{\"id\":\"L-1\"} {\"id\":\"L-2\"}"));

    assertThat(resolution)
        .isInstanceOfSatisfying(
            ToolResolution.InvalidArguments.class,
            invalid ->
                assertThat(invalid.observation())
                    .contains("must be a JSON object")
                    .contains("{\"id\":\"L-2\"}"));
  }

  @Test
  void brokenJsonIsInvalidArguments() {
    ToolResolution resolution = toolbox.resolve(new ToolCall("c1", "find_lead", "{\"id\": "));

    assertThat(resolution).isInstanceOf(ToolResolution.InvalidArguments.class);
  }
}
