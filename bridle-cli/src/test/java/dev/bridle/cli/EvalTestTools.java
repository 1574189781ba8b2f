package dev.bridle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records with a status ({@code cli-eval-test}), for the {@code bridle eval} tests: {@link
 * #tools()} works on {@link #PRODUCTION}, {@link #isolatedTools} on a private copy seeded from the
 * fixtures {@code {"records": {"R1": "open"}}} (or, for an empty object, R1 and R2 open).
 */
public final class EvalTestTools implements ToolProvider {

  /** The "production" records; evaluations must never touch them. */
  static final Map<String, String> PRODUCTION = new ConcurrentHashMap<>();

  /** The arguments of {@code get_record}. */
  public record RecordId(String id) {}

  /** The arguments of {@code set_record}. */
  public record SetRecord(String id, String status) {}

  @Override
  public String name() {
    return "cli-eval-test";
  }

  @Override
  public List<Tool<?>> tools() {
    return tools(PRODUCTION);
  }

  @Override
  public List<Tool<?>> isolatedTools(JsonNode fixtures, Path workDirectory) {
    Map<String, String> records = new ConcurrentHashMap<>();
    if (fixtures.isEmpty()) {
      records.putAll(Map.of("R1", "open", "R2", "open"));
    } else {
      JsonNode given = fixtures.get("records");
      if (given == null || !given.isObject()) {
        throw new IllegalArgumentException(
            "cli-eval-test fixtures: 'records' must map record ids to statuses");
      }
      given.properties().forEach(e -> records.put(e.getKey(), e.getValue().asText()));
    }
    return tools(records);
  }

  private static List<Tool<?>> tools(Map<String, String> records) {
    return List.of(
        Tool.builder("get_record", RecordId.class)
            .description("Read a record's status.")
            .effect(Effect.READ)
            .handler(
                (args, context) -> {
                  String status = records.get(args.id());
                  if (status == null) {
                    throw new IllegalArgumentException("no record " + args.id());
                  }
                  return "record " + args.id() + " is " + status;
                })
            .build(),
        Tool.builder("set_record", SetRecord.class)
            .description("Set a record's status.")
            .effect(Effect.WRITE)
            .handler(
                (args, context) -> {
                  records.put(args.id(), args.status());
                  return "record " + args.id() + " is now " + args.status();
                })
            .build());
  }
}
