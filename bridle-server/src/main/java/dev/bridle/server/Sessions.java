package dev.bridle.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sessions, in memory: a random id (the HttpOnly cookie), the token it was opened with,
 * its CSRF token, and when it expires. A node's restart ends its sessions; behind a load balancer,
 * pin sessions to a node or log in again.
 */
final class Sessions {

  /** A session; {@code tokenId} is checked on every request, so revoking the token ends it. */
  record Session(String id, String tokenId, String csrfToken, Instant expiresAt) {}

  static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration lifetime;

  Sessions(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  Session open(String tokenId) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min(Comparator.comparing(Session::expiresAt))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session session = new Session(random(), tokenId, random(), now.plus(lifetime));
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten. */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!session.expiresAt().isAfter(clock.instant())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  Duration lifetime() {
    return lifetime;
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
