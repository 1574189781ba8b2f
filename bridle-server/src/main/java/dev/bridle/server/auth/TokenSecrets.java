package dev.bridle.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** How token secrets, their hashes and ids are made, and which principal names are valid. */
final class TokenSecrets {

  static final String PREFIX = "brl_";

  /** {@code brl_} and 32 bytes in unpadded base64url. */
  private static final Pattern SECRET = Pattern.compile("brl_[A-Za-z0-9_-]{43}");

  private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "tok_" + HexFormat.of().formatHex(bytes);
  }

  /** Whether {@code text} has the shape of a secret (checked before hashing anything). */
  static boolean looksLikeSecret(String text) {
    return text != null && SECRET.matcher(text).matches();
  }

  /** The SHA-256 of the secret, in lower-case hex: what the store keeps. */
  static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static String requireValidPrincipal(String principal) {
    if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
      throw new IllegalArgumentException(
          "principal must be 1 to 128 of A-Z a-z 0-9 . _ @ + -, but was "
              + (principal == null ? "missing" : "'" + principal + "'"));
    }
    String lower = principal.toLowerCase(Locale.ROOT);
    if (lower.startsWith("system") || lower.startsWith("agent")) {
      throw new IllegalArgumentException(
          "principal must not start with 'system' or 'agent' (names Bridle records for itself),"
              + " but was '"
              + principal
              + "'");
    }
    return principal;
  }
}
