package dev.bridle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.server.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link TokenStore} must do; each implementation runs these against itself. */
abstract class TokenStoreContract {

  protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));

  /** A fresh, empty store on {@link #clock}. */
  protected abstract TokenStore store();

  @Test
  void anIssuedTokenAuthenticatesAsItsPrincipalWithItsRole() {
    TokenStore tokens = store();
    IssuedToken issued = tokens.issue("erin", Role.APPROVER);

    assertThat(issued.secret()).matches("brl_[A-Za-z0-9_-]{43}");
    assertThat(issued.toString()).doesNotContain(issued.secret());
    assertThat(issued.token().id()).matches("tok_[0-9a-f]{16}");
    ApiToken token = tokens.authenticate(issued.secret()).orElseThrow();
    assertThat(token.principal()).isEqualTo("erin");
    assertThat(token.role()).isEqualTo(Role.APPROVER);
    assertThat(token.createdAt()).isEqualTo(clock.instant());
    assertThat(token.revoked()).isFalse();
  }

  @Test
  void anythingButAnIssuedSecretAuthenticatesNothing() {
    TokenStore tokens = store();
    IssuedToken issued = tokens.issue("erin", Role.ADMIN);
    String other = "brl_" + "A".repeat(43);

    assertThat(tokens.authenticate(other)).isEmpty();
    assertThat(tokens.authenticate(issued.secret() + "x")).isEmpty();
    assertThat(tokens.authenticate(issued.secret().substring(4))).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
    assertThat(tokens.authenticate(issued.token().id())).isEmpty();
  }

  @Test
  void aRevokedTokenAuthenticatesNothingAndStaysListed() {
    TokenStore tokens = store();
    IssuedToken issued = tokens.issue("erin", Role.OPERATOR);
    clock.advance(Duration.ofMinutes(5));

    assertThat(tokens.revoke(issued.token().id())).isTrue();

    assertThat(tokens.authenticate(issued.secret())).isEmpty();
    assertThat(tokens.revoke(issued.token().id())).as("revoked already").isFalse();
    assertThat(tokens.revoke("tok_0000000000000000")).isFalse();
    ApiToken revoked = tokens.find(issued.token().id()).orElseThrow();
    assertThat(revoked.revokedAt()).hasValue(clock.instant());
    assertThat(tokens.list()).extracting(ApiToken::id).containsExactly(issued.token().id());
  }

  @Test
  void tokensAreListedOldestFirst() {
    TokenStore tokens = store();
    String first = tokens.issue("ada", Role.ADMIN).token().id();
    clock.advance(Duration.ofSeconds(1));
    String second = tokens.issue("vic", Role.VIEWER).token().id();

    assertThat(tokens.list()).extracting(ApiToken::id).containsExactly(first, second);
    assertThat(tokens.list()).extracting(ApiToken::role).containsExactly(Role.ADMIN, Role.VIEWER);
    assertThat(tokens.find("tok_missing")).isEmpty();
  }

  @Test
  void theLastUseIsRecordedAtMostOnceAMinute() {
    TokenStore tokens = store();
    IssuedToken issued = tokens.issue("erin", Role.VIEWER);
    String id = issued.token().id();
    assertThat(tokens.find(id).orElseThrow().lastUsedAt()).isEmpty();

    tokens.authenticate(issued.secret());
    Instant firstUse = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    tokens.authenticate(issued.secret());
    assertThat(tokens.find(id).orElseThrow().lastUsedAt()).hasValue(firstUse);

    clock.advance(Duration.ofSeconds(31));
    tokens.authenticate(issued.secret());
    assertThat(tokens.find(id).orElseThrow().lastUsedAt()).hasValue(clock.instant());
  }

  @Test
  void principalsMustBePlainNamesThatBridleDoesNotUseItself() {
    TokenStore tokens = store();

    assertThatThrownBy(() -> tokens.issue("", Role.VIEWER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("principal must be 1 to 128");
    assertThatThrownBy(() -> tokens.issue("erin smith", Role.VIEWER))
        .hasMessageContaining("but was 'erin smith'");
    assertThatThrownBy(() -> tokens.issue("system:timeout", Role.APPROVER))
        .hasMessageContaining("but was 'system:timeout'");
    assertThatThrownBy(() -> tokens.issue("system.timeout", Role.APPROVER))
        .hasMessageContaining("must not start with 'system' or 'agent'");
    assertThatThrownBy(() -> tokens.issue("Agent-crm", Role.APPROVER))
        .hasMessageContaining("must not start with 'system' or 'agent'");
    assertThat(tokens.issue("erin.smith@example.com", Role.VIEWER).token().principal())
        .isEqualTo("erin.smith@example.com");
    assertThat(tokens.list()).hasSize(1);
    assertThat(Optional.of(Role.OPERATOR).filter(r -> r.includes(Role.APPROVER))).isPresent();
    assertThat(Role.APPROVER.includes(Role.OPERATOR)).isFalse();
  }
}
