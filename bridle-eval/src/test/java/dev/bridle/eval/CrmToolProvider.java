package dev.bridle.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.internal.Json;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny CRM for the harness's tests ({@code eval-crm}): leads kept in a JSON file. {@link
 * #tools()} works on the "production" file; {@link #isolatedTools} on a copy in the case's
 * directory, seeded from the fixtures {@code {"leads": [{"id", "name", "bio"}]}} or, for an empty
 * object, two sample leads.
 */
public final class CrmToolProvider implements ToolProvider {

  /** The "production" data; evaluations must never touch it. */
  static final Path PRODUCTION = Path.of("target", "production-crm.json");

  /** Every work directory isolated tools were made for, to check that each is deleted. */
  static final Set<Path> WORK_DIRECTORIES = ConcurrentHashMap.newKeySet();

  public record LeadId(@JsonProperty("lead_id") String leadId) {}

  public record SetBio(@JsonProperty("lead_id") String leadId, @JsonProperty("bio") String bio) {}

  /** The fields {@code update_lead} changes; the ones left out stay. */
  public record LeadChanges(
      @JsonProperty("name") Optional<String> name, @JsonProperty("bio") Optional<String> bio) {}

  public record UpdateLead(
      @JsonProperty("lead_id") String leadId, @JsonProperty("changes") LeadChanges changes) {}

  public record Email(@JsonProperty("to") String to, @JsonProperty("body") String body) {}

  @Override
  public String name() {
    return "eval-crm";
  }

  @Override
  public List<Tool<?>> tools() {
    if (!Files.exists(PRODUCTION)) {
      write(PRODUCTION, sample());
    }
    return tools(PRODUCTION);
  }

  @Override
  public List<Tool<?>> isolatedTools(JsonNode fixtures, Path workDirectory) {
    JsonNode data = fixtures.isEmpty() ? sample() : checked(fixtures);
    Path file = workDirectory.resolve("crm.json");
    write(file, data);
    WORK_DIRECTORIES.add(workDirectory);
    return tools(file);
  }

  private static JsonNode checked(JsonNode fixtures) {
    JsonNode leads = fixtures.get("leads");
    if (leads == null || !leads.isArray()) {
      throw new IllegalArgumentException("eval-crm fixtures: 'leads' must be a list of leads");
    }
    for (int i = 0; i < leads.size(); i++) {
      if (!leads.get(i).path("id").isTextual()) {
        throw new IllegalArgumentException("eval-crm fixtures: leads[" + i + "].id must be text");
      }
    }
    fixtures
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("leads")) {
                throw new IllegalArgumentException(
                    "eval-crm fixtures: unknown key '" + name + "'; the shape is {leads: [...]}");
              }
            });
    return fixtures;
  }

  static ObjectNode sample() {
    ObjectNode data = Json.MAPPER.createObjectNode();
    ArrayNode leads = data.putArray("leads");
    leads.addObject().put("id", "L1").put("name", "Mara Quist").put("bio", "");
    leads.addObject().put("id", "L2").put("name", "Ode Brant").put("bio", "");
    return data;
  }

  private static List<Tool<?>> tools(Path file) {
    return List.of(
        Tool.builder("get_lead", LeadId.class)
            .description("Read one lead")
            .effect(Effect.READ)
            .handler((a, ctx) -> lead(read(file), a.leadId()).toString())
            .build(),
        Tool.builder("update_bio", SetBio.class)
            .description("Set a lead's bio")
            .effect(Effect.WRITE)
            .resource("lead_id")
            .handler(
                (a, ctx) -> {
                  synchronized (CrmToolProvider.class) {
                    JsonNode data = read(file);
                    ((ObjectNode) lead(data, a.leadId())).put("bio", a.bio());
                    write(file, data);
                  }
                  return "bio of " + a.leadId() + " updated";
                })
            .build(),
        Tool.builder("update_lead", UpdateLead.class)
            .description("Change any fields of a lead")
            .effect(Effect.WRITE)
            .resource("lead_id")
            .handler(
                (a, ctx) -> {
                  synchronized (CrmToolProvider.class) {
                    JsonNode data = read(file);
                    ObjectNode lead = (ObjectNode) lead(data, a.leadId());
                    a.changes().name().ifPresent(name -> lead.put("name", name));
                    a.changes().bio().ifPresent(bio -> lead.put("bio", bio));
                    write(file, data);
                  }
                  return "lead " + a.leadId() + " updated";
                })
            .build(),
        Tool.builder("delete_lead", LeadId.class)
            .description("Delete a lead")
            .effect(Effect.WRITE)
            .handler((a, ctx) -> "deleted " + a.leadId())
            .build(),
        Tool.builder("send_email", Email.class)
            .description("Send an e-mail")
            .effect(Effect.EXTERNAL)
            .handler((a, ctx) -> "sent to " + a.to())
            .build());
  }

  private static JsonNode lead(JsonNode data, String id) {
    for (JsonNode lead : data.path("leads")) {
      if (lead.path("id").asText().equals(id)) {
        return lead;
      }
    }
    throw new IllegalArgumentException("no lead " + id);
  }

  static JsonNode read(Path file) {
    try {
      return Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, JsonNode data) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, Json.write(data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
