package dev.bridle.core.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool, for {@link Tools#fromAnnotated(Object)}. The method takes one argument
 * record (or none), optionally followed by a {@link ToolContext}, and returns the result.
 *
 * <pre>{@code
 * @AgentTool(description = "Look up a ticket by id", effect = Effect.READ, idempotent = true)
 * Ticket getTicket(GetTicket args) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AgentTool {

  /** The tool name; empty means the method name in snake_case. */
  String name() default "";

  String description();

  Effect effect() default Effect.READ;

  boolean idempotent() default false;

  /** Timeout in milliseconds. */
  long timeoutMillis() default 30_000;
}
