package dev.bridle.core.tool;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets a tool needs (an API token for the CRM), handed out through Bridle so that a kill switch
 * can make them refuse (DESIGN §3.5). A tool asks for one on each use with {@link
 * ToolContext#credential(String)} and never keeps it.
 */
@FunctionalInterface
public interface Credentials {

  /** The secret called {@code name}, or empty when none is configured under that name. */
  Optional<String> lookup(String name);

  /** No credentials at all. */
  Credentials NONE = name -> Optional.empty();

  /** Fixed values, for tests and embedding. */
  static Credentials of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /**
   * The named environment variables, and only those: a workflow lists the credentials its tools may
   * use, so a tool cannot read any other variable through Bridle.
   */
  static Credentials fromEnvironment(Set<String> allowed) {
    Set<String> names = Set.copyOf(allowed);
    return name -> {
      Objects.requireNonNull(name, "name");
      return names.contains(name) ? Optional.ofNullable(System.getenv(name)) : Optional.empty();
    };
  }
}
