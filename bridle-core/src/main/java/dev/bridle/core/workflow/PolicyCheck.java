package dev.bridle.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Glob;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.WorkflowDefinition.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a workflow file's policy and rate limits against the tools it resolved to: a misspelled
 * tool name or argument would otherwise make a rule, a constraint or a limit silently never apply.
 * Every glob must match one of the workflow's tools; a constraint's argument must be an argument of
 * every tool it covers; a rule that restricts resources must cover a tool that names its resource.
 */
final class PolicyCheck {

  private final WorkflowDefinition workflow;
  private final List<Tool<?>> tools;

  private PolicyCheck(WorkflowDefinition workflow, List<Tool<?>> tools) {
    this.workflow = workflow;
    this.tools = tools;
  }

  /**
   * Throws a {@link WorkflowException} at the offending key; checks the policy only when the file
   * has a {@code policy:} section, and the tool globs of the rate limits the file wrote.
   */
  static void against(WorkflowDefinition workflow, List<Tool<?>> tools) {
    PolicyCheck check = new PolicyCheck(workflow, tools);
    if (workflow.positions().keySet().stream().anyMatch(path -> path.startsWith("policy."))) {
      check.checkPolicy();
    }
    check.checkRateLimits();
  }

  private void checkRateLimits() {
    for (int i = 0; i < workflow.rateLimits().size(); i++) {
      String path = "rate-limits[" + i + "].tools";
      if (workflow.positions().containsKey(path)) {
        covered(workflow.rateLimits().get(i).tools(), path);
      }
    }
  }

  private void checkPolicy() {
    Policy policy = workflow.policy();
    for (int i = 0; i < policy.rules().size(); i++) {
      checkRule(policy.rules().get(i), "policy.rules[" + i + "]");
    }
    for (int i = 0; i < policy.constraints().size(); i++) {
      checkConstraint(policy.constraints().get(i), "policy.constraints[" + i + "]");
    }
    List<String> untrusted = policy.provenance().untrustedTools();
    for (int i = 0; i < untrusted.size(); i++) {
      covered(untrusted.get(i), "policy.provenance.untrusted-tools[" + i + "]");
    }
    for (int i = 0; i < policy.fourEyes().size(); i++) {
      covered(policy.fourEyes().get(i), "policy.four-eyes[" + i + "]");
    }
  }

  private void checkRule(Rule rule, String path) {
    List<Tool<?>> covered = covered(rule.tools(), path + ".tools");
    if (!rule.resources().equals("*")
        && covered.stream().allMatch(tool -> tool.resourceArgument() == null)) {
      throw problem(
          path + ".resources",
          "rule '"
              + rule.id()
              + "' restricts resources to '"
              + rule.resources()
              + "', but none of its tools ("
              + names(covered)
              + ") names the record it acts on, so the rule would never match");
    }
  }

  private void checkConstraint(ArgumentConstraint constraint, String path) {
    String argument = argumentOf(constraint);
    for (Tool<?> tool : covered(constraint.tools(), path + ".tools")) {
      Optional<List<String>> missing = missingArgument(tool.schema(), argument);
      if (missing.isPresent()) {
        throw problem(
            path + "." + constraint.kind() + ".argument",
            "'"
                + argument
                + "' is not an argument of "
                + tool.name()
                + " (it has: "
                + String.join(", ", missing.get())
                + "), so the "
                + constraint.kind()
                + " constraint would never apply; fix the name or narrow 'tools'");
      }
    }
  }

  /** The tools {@code glob} matches; none is an error at {@code path}. */
  private List<Tool<?>> covered(String glob, String path) {
    List<Tool<?>> covered = new ArrayList<>();
    for (Tool<?> tool : tools) {
      if (Glob.matches(glob, tool.name())) {
        covered.add(tool);
      }
    }
    if (covered.isEmpty()) {
      throw problem(
          path,
          "'"
              + glob
              + "' matches none of the workflow's tools ("
              + names(tools)
              + "); is the name misspelled?");
    }
    return covered;
  }

  /**
   * When {@code argument} (dotted) is not in the schema, the names available at the level where it
   * was missed; empty when it is there or the schema does not say (free-form objects).
   */
  private static Optional<List<String>> missingArgument(JsonNode schema, String argument) {
    JsonNode node = schema;
    for (String part : argument.split("\\.")) {
      JsonNode properties = node.path("properties");
      if (!properties.isObject()) {
        return Optional.empty();
      }
      if (!properties.has(part)) {
        List<String> available = new ArrayList<>();
        properties.fieldNames().forEachRemaining(available::add);
        return Optional.of(available.isEmpty() ? List.of("no arguments") : available);
      }
      node = properties.path(part);
    }
    return Optional.empty();
  }

  private static String argumentOf(ArgumentConstraint constraint) {
    return switch (constraint) {
      case ArgumentConstraint.WritableFields c -> c.argument();
      case ArgumentConstraint.Bounds c -> c.argument();
      case ArgumentConstraint.Recipients c -> c.argument();
      case ArgumentConstraint.MaxItems c -> c.argument();
      case ArgumentConstraint.AskAbove c -> c.argument();
    };
  }

  private static String names(List<Tool<?>> tools) {
    return String.join(", ", new TreeSet<>(tools.stream().map(Tool::name).toList()));
  }

  private WorkflowException problem(String path, String message) {
    Position position = workflow.positions().get(path);
    if (position == null) {
      String file = workflow.positions().values().iterator().next().file();
      position = new Position(file, 0, 0);
    }
    return SourceFile.at(position, message + " in '" + path + "'");
  }
}
