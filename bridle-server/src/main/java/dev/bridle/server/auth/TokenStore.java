package dev.bridle.server.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where API tokens live: hashed, with their role and principal. Implementations: {@link
 * InMemoryTokenStore} for tests and embedded use, {@link JdbcTokenStore} over the run store's
 * database (table {@code api_tokens}), so that every node of a cluster accepts the same tokens.
 */
public interface TokenStore {

  /**
   * Creates a token for {@code principal} with {@code role}.
   *
   * @param principal 1 to 128 of {@code A-Z a-z 0-9 . _ @ + -}; not starting with {@code system} or
   *     {@code agent} (names Bridle itself records)
   * @throws IllegalArgumentException if the principal is not such a name
   */
  IssuedToken issue(String principal, Role role);

  /**
   * The token whose secret is {@code secret}, when it exists and is not revoked; records the use.
   * Empty for anything else, including text that is not a token at all.
   */
  Optional<ApiToken> authenticate(String secret);

  /** The token with this id, revoked or not. */
  Optional<ApiToken> find(String id);

  /** Every token, revoked ones included, oldest first. */
  List<ApiToken> list();

  /**
   * Revokes a token: it authenticates nothing from now on, and the sessions opened with it end.
   *
   * @return whether a token with this id was active and is now revoked
   */
  boolean revoke(String id);
}
