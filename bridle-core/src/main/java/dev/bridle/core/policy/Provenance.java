package dev.bridle.core.policy;

import java.util.List;
import java.util.Objects;

/**
 * Provenance rules (DESIGN §4): results of the listed tools (besides those that mark their own
 * results untrusted) are untrusted content; a sensitive argument whose value appears only in
 * untrusted content, and not in the task or a trusted source, gets {@code onTainted}.
 *
 * @param untrustedTools globs over tool names whose results are untrusted
 * @param onTainted {@link Verdict#ASK} (the default) or {@link Verdict#DENY}
 */
public record Provenance(List<String> untrustedTools, Verdict onTainted) {

  public static final Provenance DEFAULT = new Provenance(List.of(), Verdict.ASK);

  public Provenance {
    untrustedTools = List.copyOf(untrustedTools);
    Objects.requireNonNull(onTainted, "onTainted");
    if (onTainted != Verdict.ASK && onTainted != Verdict.DENY) {
      throw new IllegalArgumentException("provenance on-tainted must be ASK or DENY");
    }
  }

  boolean untrusted(PolicyRequest.Source source) {
    return source.untrusted()
        || untrustedTools.stream().anyMatch(g -> Glob.matches(g, source.toolName()));
  }
}
