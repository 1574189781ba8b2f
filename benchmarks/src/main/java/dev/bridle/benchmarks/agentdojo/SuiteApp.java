package dev.bridle.benchmarks.agentdojo;

import dev.bridle.core.policy.Policy;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One AgentDojo app wired the way a Bridle user would wire it: typed tools with their effects and
 * sensitive arguments, and the workflow's policy. The benchmark never tells the app which calls are
 * attacks.
 */
sealed interface SuiteApp permits BankingApp, SlackApp {

  /** The AgentDojo suite name, e.g. {@code banking}. */
  String suite();

  /** The Bridle workflow (agent) name. */
  String workflow();

  String instructions();

  List<ToolDeclaration<?>> declarations();

  Policy policy(Posture posture);

  /**
   * Tools that only read the user's own account or workspace. An attack call to one of them gathers
   * what the attacker wants sent; the harm is the call that follows. Every other attack call (a
   * payment, a message, a web request, an invitation) is the harm the benchmark scores.
   */
  Set<String> gatheringTools();

  /** The app for a suite name. */
  static SuiteApp forSuite(String suite) {
    return switch (suite) {
      case "banking" -> new BankingApp();
      case "slack" -> new SlackApp();
      default ->
          throw new IllegalArgumentException(
              "no Bridle app for AgentDojo suite '" + suite + "' (known: banking, slack)");
    };
  }

  /** The app's tools for the suite's schemas, every call answered by {@code world}. */
  default List<Tool<?>> tools(AgentDojoData.Suite data, ReplayWorld world) {
    return tools(data, context -> world);
  }

  /**
   * The app's tools for the suite's schemas; a call runs in the world {@code worlds} gives for its
   * run, so one set of tools serves many runs. Every suite tool needs a declaration and every
   * declaration a suite tool; each record must match its schema.
   */
  default List<Tool<?>> tools(AgentDojoData.Suite data, Function<ToolContext, ReplayWorld> worlds) {
    Map<String, ToolDeclaration<?>> byName =
        declarations().stream()
            .collect(Collectors.toMap(ToolDeclaration::name, Function.identity()));
    List<Tool<?>> tools = new ArrayList<>();
    for (AgentDojoData.ToolSchema schema : data.tools()) {
      ToolDeclaration<?> declaration = byName.get(schema.name());
      if (declaration == null) {
        throw new IllegalStateException(
            "suite "
                + data.name()
                + " declares tool '"
                + schema.name()
                + "', which "
                + getClass().getSimpleName()
                + " does not declare");
      }
      tools.add(declaration.build(schema, worlds));
    }
    for (String name : byName.keySet()) {
      if (data.tool(name).isEmpty()) {
        throw new IllegalStateException(
            getClass().getSimpleName()
                + " declares tool '"
                + name
                + "', which suite "
                + data.name()
                + " does not have");
      }
    }
    return tools;
  }
}
