package dev.bridle.core.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical hash of a call's arguments (DESIGN §3.2): an approval binds to it, so a decision
 * about one set of arguments cannot be replayed for another. Hashes the canonical JSON text (sorted
 * keys, no whitespace), as the journal records it.
 */
public final class ArgumentHash {

  private ArgumentHash() {}

  /** {@code sha256:} and the hex digest of {@code canonicalArguments}. */
  public static String of(String canonicalArguments) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalArguments.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
