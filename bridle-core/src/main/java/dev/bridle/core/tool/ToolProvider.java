package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A named set of tools shipped in a jar, found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/dev.bridle.core.tool.ToolProvider}, and a workflow
 * file can name it under {@code tools:}.
 */
public interface ToolProvider {

  /** The name a workflow file uses, e.g. {@code support-triage}. */
  String name();

  /** A fresh set of tools. Called once per workflow load. */
  List<Tool<?>> tools();

  /**
   * A fresh set of tools over private data, for one evaluation case: nothing they read comes from,
   * and nothing they write reaches, the data {@link #tools()} works on.
   *
   * <p>{@code fixtures} is the case's initial data, a JSON object whose shape the provider
   * documents (an empty object means the provider's bundled sample data). {@code workDirectory} is
   * an empty directory that belongs to this case alone (for a database file, say); the caller
   * deletes it afterwards.
   *
   * @throws UnsupportedOperationException when the provider cannot isolate its data (the default),
   *     so an evaluation never runs against production data by mistake
   * @throws IllegalArgumentException when {@code fixtures} does not fit the provider's shape; the
   *     message names the field
   */
  default List<Tool<?>> isolatedTools(JsonNode fixtures, Path workDirectory) {
    throw new UnsupportedOperationException(
        "tool provider '"
            + name()
            + "' cannot run on isolated data: it does not implement"
            + " ToolProvider.isolatedTools(fixtures, workDirectory)");
  }
}
