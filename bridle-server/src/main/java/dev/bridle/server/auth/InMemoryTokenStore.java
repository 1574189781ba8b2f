package dev.bridle.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API tokens in memory, for one process and for tests. Thread-safe. */
public final class InMemoryTokenStore implements TokenStore {

  private record Entry(String hash, ApiToken token) {}

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByHash = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryTokenStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public InMemoryTokenStore() {
    this(Clock.systemUTC());
  }

  @Override
  public IssuedToken issue(String principal, Role role) {
    TokenSecrets.requireValidPrincipal(principal);
    Objects.requireNonNull(role, "role");
    String secret = TokenSecrets.newSecret();
    String hash = TokenSecrets.hash(secret);
    ApiToken token =
        new ApiToken(
            TokenSecrets.newId(),
            principal,
            role,
            clock.instant(),
            Optional.empty(),
            Optional.empty());
    byId.put(token.id(), new Entry(hash, token));
    idByHash.put(hash, token.id());
    return new IssuedToken(secret, token);
  }

  @Override
  public Optional<ApiToken> authenticate(String secret) {
    if (!TokenSecrets.looksLikeSecret(secret)) {
      return Optional.empty();
    }
    String id = idByHash.get(TokenSecrets.hash(secret));
    if (id == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Entry entry =
        byId.computeIfPresent(
            id,
            (k, e) ->
                e.token().revoked() || !staleUse(e.token(), now)
                    ? e
                    : new Entry(e.hash(), withLastUse(e.token(), now)));
    return entry == null || entry.token().revoked() ? Optional.empty() : Optional.of(entry.token());
  }

  @Override
  public Optional<ApiToken> find(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id)).map(Entry::token);
  }

  @Override
  public List<ApiToken> list() {
    return byId.values().stream()
        .map(Entry::token)
        .sorted(Comparator.comparing(ApiToken::createdAt).thenComparing(ApiToken::id))
        .toList();
  }

  @Override
  public boolean revoke(String id) {
    if (id == null) {
      return false;
    }
    Instant now = clock.instant();
    boolean[] revoked = {false};
    byId.computeIfPresent(
        id,
        (k, e) -> {
          if (e.token().revoked()) {
            return e;
          }
          revoked[0] = true;
          ApiToken t = e.token();
          return new Entry(
              e.hash(),
              new ApiToken(
                  t.id(),
                  t.principal(),
                  t.role(),
                  t.createdAt(),
                  t.lastUsedAt(),
                  Optional.of(now)));
        });
    return revoked[0];
  }

  /** Whether the recorded last use is older than a minute (or missing): worth recording again. */
  static boolean staleUse(ApiToken token, Instant now) {
    return token.lastUsedAt().map(t -> Duration.between(t, now).toSeconds() >= 60).orElse(true);
  }

  private static ApiToken withLastUse(ApiToken t, Instant now) {
    return new ApiToken(
        t.id(), t.principal(), t.role(), t.createdAt(), Optional.of(now), t.revokedAt());
  }
}
