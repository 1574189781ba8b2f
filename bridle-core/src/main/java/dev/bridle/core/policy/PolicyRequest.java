package dev.bridle.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.tool.Effect;
import java.util.List;
import java.util.Objects;

/**
 * Everything policy looks at to decide one call. Built by the run loop from the run's journal, so
 * that the same call decides the same way on any node and in a replay.
 *
 * @param user who the run acts for (the requester)
 * @param workflow the workflow name
 * @param tool what the tool declares about itself
 * @param arguments the call's validated arguments, as they would run (after any guard redaction)
 * @param proposedArguments the arguments as the model wrote them: provenance asks where the model
 *     got a value, and a guard's redaction of part of an injected value must not hide where the
 *     rest came from; the same as {@code arguments} when nothing redacted them
 * @param evidence where the run's information came from, for provenance checks
 */
public record PolicyRequest(
    String user,
    String workflow,
    ToolFacts tool,
    JsonNode arguments,
    JsonNode proposedArguments,
    Evidence evidence) {

  public PolicyRequest {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(proposedArguments, "proposedArguments");
    Objects.requireNonNull(evidence, "evidence");
  }

  /** A request whose arguments run as they were proposed. */
  public PolicyRequest(
      String user, String workflow, ToolFacts tool, JsonNode arguments, Evidence evidence) {
    this(user, workflow, tool, arguments, arguments, evidence);
  }

  /**
   * What a tool declares.
   *
   * @param reversible whether the tool records an inverse call for each change it makes
   * @param sensitiveArguments argument names (dotted paths) whose values must not come only from
   *     untrusted content: recipients, IBANs, URLs, amounts
   * @param resourceArgument the argument naming the record the call acts on, or null
   * @param untrustedResults whether the tool's results are untrusted content (e-mails, web pages,
   *     tickets written by outsiders)
   */
  public record ToolFacts(
      String name,
      Effect effect,
      boolean reversible,
      List<String> sensitiveArguments,
      String resourceArgument,
      boolean untrustedResults) {
    public ToolFacts {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(effect, "effect");
      sensitiveArguments = List.copyOf(sensitiveArguments);
    }
  }

  /**
   * The run's sources of information so far.
   *
   * @param trusted the task, the instructions and a human's inputs
   * @param results every tool result so far, with the tool that produced it
   */
  public record Evidence(List<String> trusted, List<Source> results) {
    public static final Evidence NONE = new Evidence(List.of(), List.of());

    public Evidence {
      trusted = List.copyOf(trusted);
      results = List.copyOf(results);
    }
  }

  /** One tool result and whether the tool marked it untrusted. */
  public record Source(String toolName, String text, boolean untrusted) {
    public Source {
      Objects.requireNonNull(toolName, "toolName");
      Objects.requireNonNull(text, "text");
    }
  }
}
