package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the records a tool call (or an answer) refers to exist, so that a model that invents
 * {@code TICKET-99999} is corrected before anything acts on it. Ids are extracted with a regular
 * expression: the group named {@code id} when the pattern has one ({@code
 * "ticket_id"\s*:\s*"(?<id>[^"]+)"}), otherwise the whole match ({@code TICKET-\d+}). Each distinct
 * id is looked up with the {@code exists} hook, at most {@code max-ids} per check.
 *
 * <p>At {@link GuardStage#TOOL_ARGUMENTS} the pattern is matched against the arguments' JSON text
 * (so that it can name a key, as above) and against each decoded value ({@link
 * GuardSubject#parts()}, so that an id right after a line break is found too).
 *
 * <p>By default the guard looks at {@link GuardStage#TOOL_ARGUMENTS}, optionally only for some
 * tools, and reasks the model with the unknown ids.
 */
public final class IdValidityGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "id-validity";

  /** Default bound on distinct ids looked up per check. */
  public static final int DEFAULT_MAX_IDS = 20;

  private final String name;
  private final Set<GuardStage> stages;
  private final Pattern idPattern;
  private final boolean namedGroup;
  private final Predicate<String> exists;
  private final Set<String> tools;
  private final int maxIds;
  private final GuardAction action;

  private IdValidityGuard(Builder b) {
    this.name = b.name;
    this.stages = GuardSettings.requireStages(name, b.stages);
    this.idPattern = GuardSettings.compile(name, "id-pattern", b.idPattern, 0);
    this.namedGroup = b.idPattern.contains("(?<id>");
    this.exists = b.exists;
    this.tools = Set.copyOf(b.tools);
    this.maxIds = b.maxIds;
    this.action = b.action;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<GuardStage> stages() {
    return stages;
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    if (!tools.isEmpty()
        && subject.toolName().isPresent()
        && !tools.contains(subject.toolName().get())) {
      return GuardResult.pass();
    }
    Set<String> ids = new LinkedHashSet<>();
    String text = subject.text();
    List<GuardSubject.Part> parts = subject.parts();
    boolean arguments = subject.stage() == GuardStage.TOOL_ARGUMENTS;
    BoundedText.Budget budget = BoundedText.budget(arguments ? 2L * text.length() : text.length());
    collectIds(budget.of(text, what()), ids);
    List<GuardSubject.Part> located = new ArrayList<>();
    Map<GuardSubject.Part, List<String>> idsIn = new LinkedHashMap<>();
    if (arguments) {
      for (GuardSubject.Part part : parts) {
        idsIn.put(part, collectIds(budget.of(part.text(), what()), ids));
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String id : ids) {
      if (!exists.test(id)) {
        unknown.add(id);
      }
    }
    if (unknown.isEmpty()) {
      return GuardResult.pass();
    }
    idsIn.forEach(
        (part, found) -> {
          if (found.stream().anyMatch(unknown::contains) || unknown.contains(part.text())) {
            located.add(part);
          }
        });
    String reason =
        (unknown.size() == 1 ? "unknown id in " : "unknown ids in ")
            + subject.describe(located)
            + ": "
            + GuardSettings.list(
                unknown.stream().map(id -> GuardSettings.quote(id, 80)).toList(), 10);
    if (action == GuardAction.REASK) {
      return GuardResult.reask(
          Character.toUpperCase(reason.charAt(0))
              + reason.substring(1)
              + (unknown.size() == 1 ? ". No such record exists." : ". No such records exist.")
              + " Use only ids you got from a tool result or the task; look a record up first if"
              + " you are not sure.");
    }
    return action.result(reason);
  }

  private String what() {
    return "id-pattern of guard '" + name + "'";
  }

  /** Adds the ids in {@code text} to {@code ids} (at most {@code max-ids}); returns those seen. */
  private List<String> collectIds(BoundedText text, Set<String> ids) {
    List<String> seen = new ArrayList<>();
    Matcher m = idPattern.matcher(text);
    while (m.find()) {
      String id = namedGroup ? m.group("id") : m.group();
      if (id == null || id.isEmpty()) {
        continue;
      }
      if (!ids.contains(id)) {
        if (ids.size() >= maxIds) {
          break;
        }
        ids.add(id);
      }
      seen.add(id);
    }
    return seen;
  }

  /** Builds an {@link IdValidityGuard}; {@code id-pattern} and {@code exists} are required. */
  public static final class Builder {
    private String name = NAME;
    private Set<GuardStage> stages = EnumSet.of(GuardStage.TOOL_ARGUMENTS);
    private String idPattern;
    private Predicate<String> exists;
    private final Set<String> tools = new LinkedHashSet<>();
    private int maxIds = DEFAULT_MAX_IDS;
    private GuardAction action = GuardAction.REASK;

    private Builder() {}

    /** The guard's name in trips (default {@code id-validity}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** The stages to check (default {@code tool-arguments}). */
    public Builder stages(Collection<GuardStage> stages) {
      this.stages = EnumSet.copyOf(GuardSettings.requireStages(name, stages));
      return this;
    }

    /** How ids look: the group {@code id} if present, else the whole match. */
    public Builder idPattern(String regex) {
      this.idPattern = Objects.requireNonNull(regex, "idPattern");
      return this;
    }

    /** Says whether a record with this id exists; must be thread-safe. */
    public Builder exists(Predicate<String> lookup) {
      this.exists = Objects.requireNonNull(lookup, "exists");
      return this;
    }

    /** Only check the arguments and results of these tools (default: every tool). */
    public Builder tools(Collection<String> names) {
      tools.addAll(names);
      return this;
    }

    /** Distinct ids looked up per check, 1 to 1000 (default 20); the rest are not checked. */
    public Builder maxIds(int max) {
      this.maxIds = max;
      return this;
    }

    /** {@code REASK} (default), {@code BLOCK}, {@code ESCALATE} or {@code FLAG}. */
    public Builder action(GuardAction action) {
      this.action =
          GuardAction.require(
              name,
              action,
              List.of(
                  GuardAction.REASK, GuardAction.BLOCK, GuardAction.ESCALATE, GuardAction.FLAG));
      return this;
    }

    public IdValidityGuard build() {
      if (idPattern == null || idPattern.isBlank()) {
        throw new ConfigurationException("guard '" + name + "' needs an id-pattern");
      }
      if (exists == null) {
        throw new ConfigurationException(
            "guard '" + name + "' needs a lookup that says whether an id exists");
      }
      if (maxIds < 1 || maxIds > 1000) {
        throw new ConfigurationException(
            "guard '" + name + "': max-ids must be between 1 and 1000, but was " + maxIds);
      }
      return new IdValidityGuard(this);
    }
  }
}
