package dev.bridle.core.tool;

import dev.bridle.core.internal.Json;
import java.util.Objects;

/**
 * A tool result together with the change the call made. A handler returns it instead of a plain
 * result when it changed something, so that the change is audited and can be reverted:
 *
 * <pre>{@code
 * String previous = crm.bio(args.leadId());
 * crm.setBio(args.leadId(), args.bio());
 * return ToolOutput.of("updated")
 *     .changed("crm:lead/" + args.leadId(), Map.of("bio", previous), Map.of("bio", args.bio()))
 *     .undoneBy("set_lead_bio", new SetBio(args.leadId(), previous));
 * }</pre>
 *
 * @param result what the model is told: a string as is, anything else as JSON
 * @param change the change, or null when the call changed nothing
 */
public record ToolOutput(Object result, Change change) {

  public static ToolOutput of(Object result) {
    return new ToolOutput(result, null);
  }

  /** Records the change: the record and its fields before and after (any JSON-able values). */
  public ToolOutput changed(String resource, Object before, Object after) {
    Objects.requireNonNull(resource, "resource");
    return new ToolOutput(
        result,
        new Change(
            resource,
            before == null ? null : Json.MAPPER.valueToTree(before),
            after == null ? null : Json.MAPPER.valueToTree(after),
            change == null ? null : change.inverse()));
  }

  /** Records the idempotent call that undoes the change. */
  public ToolOutput undoneBy(String toolName, Object arguments) {
    Change.InverseCall inverse =
        new Change.InverseCall(toolName, Json.MAPPER.valueToTree(arguments));
    Change base = change == null ? new Change("unknown", null, null, null) : change;
    return new ToolOutput(
        result, new Change(base.resource(), base.before(), base.after(), inverse));
  }
}
