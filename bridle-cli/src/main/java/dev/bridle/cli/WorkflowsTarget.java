package dev.bridle.cli;

import dev.bridle.core.deploy.ReadinessSettings;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The workflow a {@code bridle workflows} command is about: a name, or a workflow file, which also
 * says the mode it declares ({@code policy: mode:}) and its version.
 *
 * @param declared the mode the file declares; empty for a bare name
 * @param version the file's version; empty for a bare name
 * @param promotion the readiness thresholds the file's {@code promotion:} section says; {@link
 *     ReadinessSettings#DEFAULT} for a bare name (command-line options override either)
 */
record WorkflowsTarget(
    String name, Optional<Mode> declared, Optional<String> version, ReadinessSettings promotion) {

  /** A workflow known by its name only: no declared mode, no version, the default thresholds. */
  static WorkflowsTarget named(String name) {
    return new WorkflowsTarget(name, Optional.empty(), Optional.empty(), ReadinessSettings.DEFAULT);
  }

  /** What a workflow's name looks like, as workflow files and the server require. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** A workflow file by its extension or because it exists; else a workflow name. */
  static WorkflowsTarget resolve(CommandLine.Model.CommandSpec spec, String text) {
    if (looksLikeFile(text)) {
      WorkflowDefinition workflow = Workflows.load(Path.of(text));
      return new WorkflowsTarget(
          workflow.name(),
          Optional.of(workflow.policy().mode()),
          Optional.of(workflow.version()),
          workflow.promotion());
    }
    if (!NAME.matcher(text).matches()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "WORKFLOW must be a workflow's name (lower-case letters, digits and dashes, at most 64)"
              + " or its file, but was '"
              + text
              + "'");
    }
    return named(text);
  }

  private static boolean looksLikeFile(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
      return true;
    }
    try {
      return Files.isRegularFile(Path.of(text));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
