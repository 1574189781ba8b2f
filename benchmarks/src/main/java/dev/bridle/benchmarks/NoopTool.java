package dev.bridle.benchmarks;

import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;

/** The benchmark tool of the peer comparison: {@code noop(n: integer) -> "ok"}. */
final class NoopTool {

  /** Arguments of {@code noop}. */
  public record Noop(int n) {}

  private NoopTool() {}

  static Tool<Noop> create() {
    return Tool.builder("noop", Noop.class)
        .description("Does nothing and returns ok")
        .effect(Effect.READ)
        .idempotent(true)
        .handler((args, context) -> "ok")
        .build();
  }
}
