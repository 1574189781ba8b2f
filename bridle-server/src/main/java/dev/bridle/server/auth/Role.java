package dev.bridle.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. Each role includes the ones before it: a viewer reads, an approver also
 * decides approvals, an operator also starts, kills, revives, cancels, resumes and reverts runs,
 * and an admin also manages tokens.
 */
public enum Role {
  /** Reads runs, events, approvals, kill switches, the audit trail and workflows. */
  VIEWER,
  /** A viewer who also decides approvals. */
  APPROVER,
  /** An approver who also starts runs, kills and revives, cancels, resumes and reverts. */
  OPERATOR,
  /** Everything, including creating, listing and revoking API tokens. */
  ADMIN;

  /** Whether this role may do what {@code required} may. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case name used in requests, responses and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (any case), or empty. */
  public static Optional<Role> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Role role : values()) {
      if (role.name().equalsIgnoreCase(text.strip())) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
