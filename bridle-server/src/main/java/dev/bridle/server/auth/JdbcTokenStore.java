package dev.bridle.server.auth;

import dev.bridle.core.journal.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API tokens in the {@code api_tokens} table of the run store's database (SQLite or PostgreSQL;
 * created by the store's migration {@code V4__api_tokens.sql}), so that every node of a cluster
 * accepts the same tokens and sees a revocation at once. Each operation is one short statement in
 * auto-commit mode. Times are stored as nanoseconds since the epoch, like the journal's.
 */
public final class JdbcTokenStore implements TokenStore {

  private static final String COLUMNS =
      "token_id, principal, role, created_at, last_used_at, revoked_at";

  private final DataSource dataSource;
  private final Clock clock;

  /**
   * @param dataSource connections to a database migrated by {@code bridle-store} (version 4 or
   *     later); on SQLite, give the connections a busy timeout, since they write alongside the
   *     store's own writer
   */
  public JdbcTokenStore(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public IssuedToken issue(String principal, Role role) {
    TokenSecrets.requireValidPrincipal(principal);
    Objects.requireNonNull(role, "role");
    String secret = TokenSecrets.newSecret();
    ApiToken token =
        new ApiToken(
            TokenSecrets.newId(),
            principal,
            role,
            clock.instant(),
            Optional.empty(),
            Optional.empty());
    run(
        "creating a token for " + principal,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO api_tokens (token_id, token_hash, principal, role, created_at)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, token.id());
            s.setString(2, TokenSecrets.hash(secret));
            s.setString(3, principal);
            s.setString(4, role.name());
            s.setLong(5, nanos(token.createdAt()));
            s.executeUpdate();
          }
          return null;
        });
    return new IssuedToken(secret, token);
  }

  @Override
  public Optional<ApiToken> authenticate(String secret) {
    if (!TokenSecrets.looksLikeSecret(secret)) {
      return Optional.empty();
    }
    String hash = TokenSecrets.hash(secret);
    Optional<ApiToken> found =
        run(
            "authenticating a token",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?")) {
                s.setString(1, hash);
                return one(s);
              }
            });
    if (found.isEmpty() || found.get().revoked()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (InMemoryTokenStore.staleUse(found.get(), now)) {
      run(
          "recording the use of token " + found.get().id(),
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?")) {
              s.setLong(1, nanos(now));
              s.setString(2, found.get().id());
              return s.executeUpdate();
            }
          });
    }
    return found;
  }

  @Override
  public Optional<ApiToken> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return run(
        "finding token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens WHERE token_id = ?")) {
            s.setString(1, id);
            return one(s);
          }
        });
  }

  @Override
  public List<ApiToken> list() {
    return run(
        "listing tokens",
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, token_id");
              ResultSet rs = s.executeQuery()) {
            List<ApiToken> tokens = new ArrayList<>();
            while (rs.next()) {
              tokens.add(token(rs));
            }
            return tokens;
          }
        });
  }

  @Override
  public boolean revoke(String id) {
    if (id == null) {
      return false;
    }
    return run(
        "revoking token " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = ?"
                      + " WHERE token_id = ? AND revoked_at IS NULL")) {
            s.setLong(1, nanos(clock.instant()));
            s.setString(2, id);
            return s.executeUpdate() == 1;
          }
        });
  }

  private static Optional<ApiToken> one(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(token(rs)) : Optional.empty();
    }
  }

  private static ApiToken token(ResultSet rs) throws SQLException {
    String roleName = rs.getString(3);
    Role role =
        Role.parse(roleName)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "api_tokens row has an unknown role '" + roleName + "'"));
    long lastUsed = rs.getLong(5);
    Optional<Instant> lastUsedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(lastUsed));
    long revoked = rs.getLong(6);
    Optional<Instant> revokedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(revoked));
    return new ApiToken(
        rs.getString(1), rs.getString(2), role, instant(rs.getLong(4)), lastUsedAt, revokedAt);
  }

  private interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T run(String doing, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      T result = work.apply(c);
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return result;
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "token store: " + doing + " failed: " + e.getMessage(), e);
    }
  }

  private static long nanos(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
