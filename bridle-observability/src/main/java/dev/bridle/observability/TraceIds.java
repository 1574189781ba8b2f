package dev.bridle.observability;

import dev.bridle.core.journal.RunId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trace and span ids derived from a run id, so that every node and every resumption of a run writes
 * into one trace: the trace id is a hash of the run id, the first {@code invoke_agent} segment (the
 * one {@code RunStarted} opens) is the trace's root, and every later segment is its child.
 */
final class TraceIds {

  private static final HexFormat HEX = HexFormat.of();
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final String INVALID_SPAN = "0".repeat(16);

  private TraceIds() {}

  /** The 32-hex-digit trace id of every span of {@code runId}. */
  static String traceId(RunId runId) {
    return hex("bridle/trace/" + runId.value(), 16, INVALID_TRACE);
  }

  /** The span id of the run's first segment, the root of its trace. */
  static String rootSpanId(RunId runId) {
    return hex("bridle/root/" + runId.value(), 8, INVALID_SPAN);
  }

  /** The span id of the segment that the event with sequence number {@code startSeq} opened. */
  static String segmentSpanId(RunId runId, long startSeq) {
    return hex("bridle/segment/" + runId.value() + "/" + startSeq, 8, INVALID_SPAN);
  }

  private static String hex(String seed, int bytes, String invalid) {
    byte[] digest = sha256(seed);
    String id = HEX.formatHex(digest, 0, bytes);
    // All zeros is the invalid id; a digest that starts so is as likely as a collision, but cheap
    // to rule out.
    return id.equals(invalid) ? HEX.formatHex(digest, bytes, 2 * bytes) : id;
  }

  private static byte[] sha256(String seed) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
