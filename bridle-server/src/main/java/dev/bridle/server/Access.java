package dev.bridle.server;

import dev.bridle.server.auth.Role;
import io.javalin.security.RouteRole;
import java.util.Optional;

/** Who may call an endpoint: anyone, or a token with at least a role. */
enum Access implements RouteRole {
  /** No token needed; such endpoints return no data. */
  PUBLIC(null),
  VIEWER(Role.VIEWER),
  APPROVER(Role.APPROVER),
  OPERATOR(Role.OPERATOR),
  ADMIN(Role.ADMIN);

  private final Role role;

  Access(Role role) {
    this.role = role;
  }

  /** The least role required; empty for {@link #PUBLIC}. */
  Optional<Role> role() {
    return Optional.ofNullable(role);
  }
}
