package dev.bridle.core.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.tool.Tool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash of what an agent is told and may do: its instructions, each tool's name, description,
 * argument schema and effect, and the version of its policy. Recorded on {@code RunStarted} so that
 * a run says exactly which definition acted, whatever its version label claims.
 *
 * <p>The hash is SHA-256 over a canonical JSON document: object keys sorted at every level, no
 * whitespace, tools sorted by name. So the order in which a workflow file writes its keys, or lists
 * its tool providers, does not change it; any change to the text the model sees, the arguments a
 * tool takes, what a tool may do, or the policy does.
 */
final class DefinitionHash {

  /** Raised when the canonical form changes, so that no two forms can hash alike. */
  private static final int FORM = 1;

  private DefinitionHash() {}

  /** {@code sha256:} and the 64 hex digits of the canonical definition. */
  static String of(String instructions, List<? extends Tool<?>> tools, String policyVersion) {
    return "sha256:" + sha256(canonical(instructions, tools, policyVersion));
  }

  /** The canonical text that is hashed (for tests and for explaining a difference). */
  static String canonical(
      String instructions, List<? extends Tool<?>> tools, String policyVersion) {
    ObjectNode definition = Json.MAPPER.createObjectNode();
    definition.put("form", FORM);
    definition.put("instructions", instructions);
    definition.put("policy-version", policyVersion);
    ArrayNode described = definition.putArray("tools");
    tools.stream()
        .sorted(Comparator.comparing(Tool::name))
        .forEach(
            tool -> {
              ObjectNode one = described.addObject();
              one.put("name", tool.name());
              one.put("description", tool.description());
              one.put("effect", tool.effect().name());
              one.set("schema", tool.schema());
            });
    return Json.canonical(definition);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
