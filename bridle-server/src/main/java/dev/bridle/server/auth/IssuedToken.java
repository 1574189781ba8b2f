package dev.bridle.server.auth;

import java.util.Objects;

/**
 * A token just created: its secret, shown to its holder this once and never stored, and what the
 * server keeps about it.
 *
 * @param secret {@code brl_} followed by 32 random bytes in unpadded base64url (47 characters)
 */
public record IssuedToken(String secret, ApiToken token) {

  public IssuedToken {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(token, "token");
  }

  /** Leaves the secret out, so that logging the record does not leak it. */
  @Override
  public String toString() {
    return "IssuedToken[" + token.id() + " " + token.principal() + " " + token.role().label() + "]";
  }
}
