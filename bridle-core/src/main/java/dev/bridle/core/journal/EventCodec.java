package dev.bridle.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.BridleException;
import dev.bridle.core.internal.Json;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Serialises events as JSON objects {@code {"type": "ToolCallStarted", "v": 1, ...fields}}. The
 * version lets a later Bridle read journals written by an earlier one: when an event's shape
 * changes, its version goes up and {@link #decode} upgrades older versions. An earlier Bridle
 * refuses a version it does not know with a message that says to upgrade.
 *
 * <p>History: {@code RunStarted} v2 added {@code definitionHash} (v1 rows decode with it null).
 * {@code ToolCallRejected} v1 gained the reasons {@code PRECONDITION_FAILED} and {@code
 * PRECONDITION_ERROR}: added constants, so every older row decodes as before (an earlier Bridle
 * cannot read a row with a new reason, and says the row is unreadable).
 */
public final class EventCodec {

  /** The current version of every event type. */
  private static final Map<Class<? extends RunEvent>, Integer> VERSIONS =
      Map.ofEntries(
          Map.entry(RunEvent.RunSubmitted.class, 1),
          Map.entry(RunEvent.RunResumed.class, 1),
          Map.entry(RunEvent.RunSuspended.class, 1),
          Map.entry(RunEvent.ToolCallInDoubt.class, 1),
          Map.entry(RunEvent.RunStarted.class, 2),
          Map.entry(RunEvent.ModelResponded.class, 1),
          Map.entry(RunEvent.ToolCallProposed.class, 1),
          Map.entry(RunEvent.ToolCallRejected.class, 1),
          Map.entry(RunEvent.ToolCallStarted.class, 1),
          Map.entry(RunEvent.ToolCallCompleted.class, 1),
          Map.entry(RunEvent.RunCompleted.class, 1),
          Map.entry(RunEvent.RunFailed.class, 1),
          Map.entry(RunEvent.PolicyDecided.class, 1),
          Map.entry(RunEvent.ToolCallShadowed.class, 1),
          Map.entry(RunEvent.ApprovalRequested.class, 1),
          Map.entry(RunEvent.ApprovalDecided.class, 1),
          Map.entry(RunEvent.RunKilled.class, 1),
          Map.entry(RunEvent.RunCancelled.class, 1),
          Map.entry(RunEvent.ChangeReverted.class, 1),
          Map.entry(RunEvent.GuardTripped.class, 1),
          Map.entry(RunEvent.BudgetThresholdCrossed.class, 1),
          Map.entry(RunEvent.EvaluationScored.class, 1));

  private static final Map<String, Class<? extends RunEvent>> TYPES =
      Stream.of(RunEvent.class.getPermittedSubclasses())
          .map(c -> c.asSubclass(RunEvent.class))
          .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

  private EventCodec() {}

  /** {@code {"type":"X","v":N,} for each event type, written once. */
  private static final ClassValue<String> PREFIXES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return "{\"type\":\""
              + type.getSimpleName()
              + "\",\"v\":"
              + version(type.asSubclass(RunEvent.class));
        }
      };

  /**
   * The event as one JSON object. On the hot path of every append: the record is written once by
   * Jackson and the envelope's two fields are put in front of its own, with no tree in between.
   */
  public static String encode(RunEvent event) {
    String fields;
    try {
      fields = Json.MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new BridleException("cannot encode " + event.getClass().getSimpleName(), e);
    }
    String prefix = PREFIXES.get(event.getClass());
    StringBuilder json = new StringBuilder(prefix.length() + fields.length() + 1).append(prefix);
    return fields.length() <= 2
        ? json.append('}').toString()
        : json.append(',').append(fields, 1, fields.length()).toString();
  }

  public static RunEvent decode(String json) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(json);
      if (!(parsed instanceof ObjectNode node) || !node.hasNonNull("type")) {
        throw new BridleException(
            "journal event is not an object with a 'type': " + abbreviate(json));
      }
      String type = node.remove("type").asText();
      int v = node.has("v") ? node.remove("v").asInt() : 1;
      Class<? extends RunEvent> eventClass = TYPES.get(type);
      if (eventClass == null) {
        throw new BridleException("unknown journal event type '" + type + "'");
      }
      if (v > version(eventClass)) {
        throw new BridleException(
            "journal event "
                + type
                + " has version "
                + v
                + ", newer than this Bridle understands ("
                + version(eventClass)
                + "); upgrade Bridle");
      }
      return Json.MAPPER.treeToValue(node, eventClass);
    } catch (JsonProcessingException e) {
      throw new BridleException("unreadable journal event: " + e.getOriginalMessage(), e);
    }
  }

  public static int version(Class<? extends RunEvent> type) {
    Integer v = VERSIONS.get(type);
    if (v == null) {
      throw new IllegalStateException("no version registered for " + type.getName());
    }
    return v;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }
}
