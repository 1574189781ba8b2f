package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * How an app declares one of its tools, as a Bridle user writes it: the argument record and what
 * policy must know (effect, sensitive arguments, untrusted results). The description comes from the
 * suite, the behaviour from the {@link ReplayWorld}, and the record is checked against the suite's
 * JSON Schema when the tool is built ({@link SchemaConformance}).
 *
 * <p>A record per function is needed because {@link Tool} takes its schema from a record; see the
 * package documentation for the core API that would let the suite's schema be used directly.
 */
record ToolDeclaration<A>(String name, Class<A> arguments, UnaryOperator<Tool.Builder<A>> facts) {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());

  ToolDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(facts, "facts");
  }

  static <A> ToolDeclaration<A> of(
      String name, Class<A> arguments, UnaryOperator<Tool.Builder<A>> facts) {
    return new ToolDeclaration<>(name, arguments, facts);
  }

  /** The tool; each call runs in the world {@code worlds} gives for the call's run. */
  Tool<A> build(AgentDojoData.ToolSchema schema, Function<ToolContext, ReplayWorld> worlds) {
    Tool.Builder<A> builder =
        Tool.builder(name, arguments)
            .description(schema.description())
            .handler(
                (args, context) -> worlds.apply(context).execute(name, JSON.valueToTree(args)));
    Tool<A> tool = facts.apply(builder).build();
    SchemaConformance.check(schema, tool);
    return tool;
  }
}
