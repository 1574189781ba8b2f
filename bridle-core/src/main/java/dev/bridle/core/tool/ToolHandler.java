package dev.bridle.core.tool;

/**
 * The code behind a tool. It receives arguments that already passed schema validation. Its result
 * is shown to the model: a {@code String} as is, anything else as JSON. An exception becomes an
 * error observation for the model; it never ends the run.
 */
@FunctionalInterface
public interface ToolHandler<A> {
  Object invoke(A arguments, ToolContext context) throws Exception;
}
