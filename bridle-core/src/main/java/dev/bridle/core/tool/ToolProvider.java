package dev.bridle.core.tool;

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
}
