package dev.bridle.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An API token as the server knows it: never the secret itself, which is stored only as its SHA-256
 * hash.
 *
 * @param id the public identifier, {@code tok_...}: shown in listings, used to revoke
 * @param principal who acts with the token: recorded as the approver of its decisions, the {@code
 *     by} of its kill switches, cancellations and reverts
 * @param lastUsedAt when a request last authenticated with it (updated at most once a minute)
 * @param revokedAt when it was revoked; a revoked token authenticates nothing
 */
public record ApiToken(
    String id,
    String principal,
    Role role,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt) {

  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
