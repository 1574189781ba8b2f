package dev.bridle.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One call a human made, to compare with what an agent in shadow mode would have done: a tool name
 * and its arguments, kept as normalised JSON text (keys sorted, numbers by value) so that equal
 * arguments compare equal however they were written.
 *
 * @param tool the tool's name, as the agent's tools are named
 * @param arguments the arguments, a JSON object in normalised form
 */
public record HumanCall(String tool, String arguments) {

  /** What a tool name may look like. */
  static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** The longest arguments of one call, in characters of normalised JSON. */
  public static final int MAX_ARGUMENTS_CHARS = 16_000;

  public HumanCall {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    if (!TOOL_NAME.matcher(tool).matches()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "a tool name must match [A-Za-z0-9_.:-]{1,128}, but was '" + Texts.cut(tool, 40) + "'");
    }
    JsonNode tree =
        CanonicalJson.parse(arguments)
            .orElseThrow(
                () ->
                    new DeploymentException(
                        DeploymentException.Reason.INVALID,
                        "the arguments of " + tool + " must be a JSON object, but are not JSON"));
    if (!tree.isObject()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "the arguments of "
              + tool
              + " must be a JSON object, but were a JSON "
              + Texts.kind(tree));
    }
    arguments = CanonicalJson.of(tree);
    if (arguments.length() > MAX_ARGUMENTS_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "the arguments of "
              + tool
              + " must be at most "
              + MAX_ARGUMENTS_CHARS
              + " characters of JSON, but were "
              + arguments.length());
    }
  }

  /** The call of {@code tool} with {@code arguments} (a JSON object). */
  public static HumanCall of(String tool, JsonNode arguments) {
    Objects.requireNonNull(arguments, "arguments");
    return new HumanCall(tool, CanonicalJson.of(arguments));
  }
}
