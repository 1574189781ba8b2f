package dev.bridle.core.guard;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where in a run a guard looks (DESIGN §2); every stage runs before the effect it protects. */
public enum GuardStage {
  /** The task, before {@code RunStarted}. */
  INPUT("input"),
  /** The model's text: what it says alongside tool calls, and its final answer. */
  MODEL_OUTPUT("model-output"),
  /** A tool call's arguments as canonical JSON, before policy and execution. */
  TOOL_ARGUMENTS("tool-arguments"),
  /** A tool's result, before the model sees it. */
  TOOL_RESULT("tool-result");

  private final String configName;

  GuardStage(String configName) {
    this.configName = configName;
  }

  /** The kebab-case name used in workflow files, e.g. {@code model-output}. */
  public String configName() {
    return configName;
  }

  /**
   * The stage with this config name ({@code input}, {@code model-output}, {@code tool-arguments},
   * {@code tool-result}); also accepts the enum constant name in any case.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static GuardStage fromConfigName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (GuardStage stage : values()) {
      if (stage.configName.equals(wanted)) {
        return stage;
      }
    }
    throw new IllegalArgumentException(
        "unknown guard stage '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(GuardStage::configName)
                .collect(Collectors.joining(", ")));
  }
}
