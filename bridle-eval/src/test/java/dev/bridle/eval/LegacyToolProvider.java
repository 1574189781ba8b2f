package dev.bridle.eval;

import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.NoArguments;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import java.util.List;

/** A provider that cannot isolate its data ({@code legacy}): evaluations must refuse it. */
public final class LegacyToolProvider implements ToolProvider {

  @Override
  public String name() {
    return "legacy";
  }

  @Override
  public List<Tool<?>> tools() {
    return List.of(
        Tool.builder("legacy_read", NoArguments.class)
            .description("Reads production")
            .effect(Effect.READ)
            .handler((a, ctx) -> "production data")
            .build());
  }
}
