package dev.bridle.core.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Provenance;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.workflow.WorkflowDefinition.Position;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code policy:} section of a workflow file as written, bound by Jackson. Each entry checks
 * its own shape when it is bound (so errors point at it); {@link #toPolicy} checks what spans
 * entries (the roles a rule names, duplicate rule ids) and builds the {@link Policy}. Whether each
 * tool glob matches a tool is checked once the tools are known ({@link PolicyCheck}).
 */
record PolicySection(
    @JsonProperty("version") String version,
    @JsonProperty("mode") Mode mode,
    @JsonProperty("max-unapproved-effect") Effect maxUnapprovedEffect,
    @JsonProperty("allow-destructive") Boolean allowDestructive,
    @JsonProperty("roles") Map<String, List<String>> roles,
    @JsonProperty(value = "rules", required = true) List<RuleEntry> rules,
    @JsonProperty("constraints") List<ConstraintEntry> constraints,
    @JsonProperty("provenance") ProvenanceEntry provenance,
    @JsonProperty("four-eyes") List<String> fourEyes,
    @JsonProperty("approvals") ApprovalsEntry approvals,
    @JsonProperty("undo-window") Duration undoWindow) {

  private static final Pattern ARGUMENT = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");
  private static final Pattern DOMAIN_OR_ADDRESS = Pattern.compile("[^\\s/:@]*@?[^\\s/:@]+");

  PolicySection {
    if (version != null && version.isBlank()) {
      throw new IllegalArgumentException(
          "version must not be blank; leave it out and the policy's version is a hash of its"
              + " content");
    }
    if (rules == null || rules.isEmpty()) {
      throw new IllegalArgumentException(
          "rules must list at least one rule: without one every call is denied");
    }
    requireEntries(rules, "rules");
    if (constraints != null) {
      requireEntries(constraints, "constraints");
    }
    if (roles != null) {
      roles.forEach(
          (role, users) -> {
            if (role.isBlank() || role.contains(":")) {
              throw new IllegalArgumentException(
                  "a role name must not be blank nor contain ':', but was '" + role + "'");
            }
            if (users == null) {
              throw new IllegalArgumentException(
                  "roles." + role + " must list its users, e.g. [alice, bob]");
            }
            requireTexts(users, "roles." + role);
          });
    }
    if (fourEyes != null) {
      requireTexts(fourEyes, "four-eyes");
    }
  }

  /**
   * The policy this section says; {@code positions} receives where each tool glob and constrained
   * argument was written, for {@link PolicyCheck}.
   */
  Policy toPolicy(SourceFile source, Map<String, Position> positions) {
    Policy defaults = Policy.defaults();
    Policy.Builder builder = Policy.builder();
    if (version != null) {
      builder.version(version.strip());
    }
    builder
        .mode(mode == null ? defaults.mode() : mode)
        .maxUnapprovedEffect(
            maxUnapprovedEffect == null ? defaults.maxUnapprovedEffect() : maxUnapprovedEffect)
        .allowDestructive(allowDestructive != null && allowDestructive);
    Map<String, List<String>> declaredRoles = roles == null ? Map.of() : roles;
    declaredRoles.forEach((role, users) -> builder.role(role, Set.copyOf(users)));
    addRules(builder, declaredRoles.keySet(), source, positions);
    List<ConstraintEntry> declaredConstraints = constraints == null ? List.of() : constraints;
    for (int i = 0; i < declaredConstraints.size(); i++) {
      ConstraintEntry entry = declaredConstraints.get(i);
      String path = "policy.constraints[" + i + "]";
      builder.constraint(entry.toConstraint());
      remember(source, positions, path + ".tools");
      remember(source, positions, path + "." + entry.kind() + ".argument");
    }
    if (provenance != null) {
      List<String> untrusted =
          provenance.untrustedTools() == null ? List.of() : provenance.untrustedTools();
      for (int i = 0; i < untrusted.size(); i++) {
        remember(source, positions, "policy.provenance.untrusted-tools[" + i + "]");
      }
      builder.provenance(
          new Provenance(
              untrusted,
              provenance.onTainted() == null
                  ? Provenance.DEFAULT.onTainted()
                  : provenance.onTainted().verdict));
    }
    List<String> declaredFourEyes = fourEyes == null ? List.of() : fourEyes;
    for (int i = 0; i < declaredFourEyes.size(); i++) {
      builder.fourEyes(declaredFourEyes.get(i));
      remember(source, positions, "policy.four-eyes[" + i + "]");
    }
    if (approvals != null) {
      builder.approvalTimeout(
          approvals.timeout() == null ? defaults.approvalTimeout() : approvals.timeout(),
          approvals.onTimeout() == null ? defaults.onTimeout() : approvals.onTimeout().verdict);
    }
    if (undoWindow != null) {
      builder.undoWindow(undoWindow);
    }
    return builder.build();
  }

  private void addRules(
      Policy.Builder builder,
      Set<String> roleNames,
      SourceFile source,
      Map<String, Position> positions) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      RuleEntry entry = rules.get(i);
      String path = "policy.rules[" + i + "]";
      String id = entry.id() == null ? "rules[" + i + "]" : entry.id().strip();
      if (!ids.add(id)) {
        throw source.problem(
            path + (entry.id() == null ? "" : ".id"),
            "rule id '" + id + "' is used twice; decisions name rules by id, so ids must differ");
      }
      List<String> principals = entry.principals() == null ? List.of("*") : entry.principals();
      for (int j = 0; j < principals.size(); j++) {
        String principal = principals.get(j);
        if (principal.startsWith("role:") && !roleNames.contains(principal.substring(5))) {
          throw source.problem(
              path + ".principals[" + j + "]",
              "role '"
                  + principal.substring(5)
                  + "' is not defined under policy.roles"
                  + (roleNames.isEmpty()
                      ? ""
                      : " (defined: " + String.join(", ", new TreeSet<>(roleNames)) + ")"));
        }
      }
      builder.rule(
          new Rule(
              id,
              principals,
              "*",
              entry.tools(),
              entry.resources() == null ? "*" : entry.resources(),
              entry.verdict().verdict));
      remember(source, positions, path + ".tools");
      if (entry.resources() != null) {
        remember(source, positions, path + ".resources");
      }
    }
  }

  private static void remember(SourceFile source, Map<String, Position> positions, String path) {
    positions.put(path, source.position(path));
  }

  /** What a rule says. */
  enum RuleVerdict {
    ALLOW(Verdict.ALLOW),
    DENY(Verdict.DENY),
    ASK(Verdict.ASK);

    final Verdict verdict;

    RuleVerdict(Verdict verdict) {
      this.verdict = verdict;
    }
  }

  /** What a sensitive argument that only untrusted content supplied gets. */
  enum OnTainted {
    ASK(Verdict.ASK),
    DENY(Verdict.DENY);

    final Verdict verdict;

    OnTainted(Verdict verdict) {
      this.verdict = verdict;
    }
  }

  /** What an approval that nobody decided in time becomes. */
  enum OnTimeout {
    REJECT(Verdict.DENY),
    APPROVE(Verdict.ALLOW);

    final Verdict verdict;

    OnTimeout(Verdict verdict) {
      this.verdict = verdict;
    }
  }

  record RuleEntry(
      @JsonProperty("id") String id,
      @JsonProperty("principals") List<String> principals,
      @JsonProperty(value = "tools", required = true) String tools,
      @JsonProperty("resources") String resources,
      @JsonProperty(value = "verdict", required = true) RuleVerdict verdict) {

    RuleEntry {
      if (id != null && id.isBlank()) {
        throw new IllegalArgumentException(
            "id must not be blank; leave it out and the rule is called rules[<index>]");
      }
      requireText(tools, "tools");
      if (resources != null) {
        requireText(resources, "resources");
      }
      if (principals != null) {
        if (principals.isEmpty()) {
          throw new IllegalArgumentException(
              "principals must name at least one user or role:<name>; leave it out for anyone");
        }
        requireTexts(principals, "principals");
      }
      if (verdict == null) {
        throw new IllegalArgumentException("a rule needs a verdict: allow, deny or ask");
      }
    }
  }

  record ConstraintEntry(
      @JsonProperty(value = "tools", required = true) String tools,
      @JsonProperty("writable-fields") WritableFieldsEntry writableFields,
      @JsonProperty("bounds") BoundsEntry bounds,
      @JsonProperty("recipients") RecipientsEntry recipients,
      @JsonProperty("max-items") MaxItemsEntry maxItems,
      @JsonProperty("ask-above") AskAboveEntry askAbove) {

    ConstraintEntry {
      requireText(tools, "tools");
      List<String> kinds = new ArrayList<>();
      if (writableFields != null) {
        kinds.add("writable-fields");
      }
      if (bounds != null) {
        kinds.add("bounds");
      }
      if (recipients != null) {
        kinds.add("recipients");
      }
      if (maxItems != null) {
        kinds.add("max-items");
      }
      if (askAbove != null) {
        kinds.add("ask-above");
      }
      if (kinds.size() != 1) {
        throw new IllegalArgumentException(
            "a constraint needs exactly one of writable-fields, bounds, recipients, max-items or"
                + " ask-above"
                + (kinds.isEmpty() ? "" : ", but has " + String.join(" and ", kinds)));
      }
    }

    /** The one kind given, e.g. {@code writable-fields}; it names the key in error paths. */
    String kind() {
      return toConstraint().kind();
    }

    ArgumentConstraint toConstraint() {
      if (writableFields != null) {
        return new ArgumentConstraint.WritableFields(
            tools, writableFields.argument(), new LinkedHashSet<>(writableFields.allowed()));
      }
      if (bounds != null) {
        return new ArgumentConstraint.Bounds(tools, bounds.argument(), bounds.min(), bounds.max());
      }
      if (recipients != null) {
        return new ArgumentConstraint.Recipients(
            tools,
            recipients.argument(),
            new LinkedHashSet<>(orEmpty(recipients.allow())),
            new LinkedHashSet<>(orEmpty(recipients.block())));
      }
      if (askAbove != null) {
        return new ArgumentConstraint.AskAbove(tools, askAbove.argument(), askAbove.limit());
      }
      return new ArgumentConstraint.MaxItems(tools, maxItems.argument(), maxItems.max());
    }
  }

  record AskAboveEntry(
      @JsonProperty(value = "argument", required = true) String argument,
      @JsonProperty(value = "limit", required = true) java.math.BigDecimal limit) {
    AskAboveEntry {
      requireArgument(argument);
      if (limit == null) {
        throw new IllegalArgumentException("ask-above needs a limit (a number)");
      }
    }
  }

  record WritableFieldsEntry(
      @JsonProperty(value = "argument", required = true) String argument,
      @JsonProperty(value = "allowed", required = true) List<String> allowed) {
    WritableFieldsEntry {
      requireArgument(argument);
      if (allowed == null || allowed.isEmpty()) {
        throw new IllegalArgumentException(
            "allowed must list at least one field; to forbid the tool, give it a rule with"
                + " verdict deny");
      }
      requireTexts(allowed, "allowed");
    }
  }

  record BoundsEntry(
      @JsonProperty(value = "argument", required = true) String argument,
      @JsonProperty("min") BigDecimal min,
      @JsonProperty("max") BigDecimal max) {
    BoundsEntry {
      requireArgument(argument);
      if (min == null && max == null) {
        throw new IllegalArgumentException("bounds need min, max or both");
      }
      if (min != null && max != null && min.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "bounds min must not exceed max, but min is "
                + min.toPlainString()
                + " and max is "
                + max.toPlainString());
      }
    }
  }

  record RecipientsEntry(
      @JsonProperty(value = "argument", required = true) String argument,
      @JsonProperty("allow") List<String> allow,
      @JsonProperty("block") List<String> block) {
    RecipientsEntry {
      requireArgument(argument);
      if (orEmpty(allow).isEmpty() && orEmpty(block).isEmpty()) {
        throw new IllegalArgumentException(
            "recipients need an allow list, a block list or both (domains or addresses)");
      }
      requireDomains(orEmpty(allow), "allow");
      requireDomains(orEmpty(block), "block");
      for (String entry : orEmpty(allow)) {
        if (orEmpty(block).stream().anyMatch(b -> b.strip().equalsIgnoreCase(entry.strip()))) {
          throw new IllegalArgumentException(
              "'" + entry + "' is on both the allow and the block list");
        }
      }
    }

    private static void requireDomains(List<String> entries, String key) {
      requireTexts(entries, key);
      for (String entry : entries) {
        if (!DOMAIN_OR_ADDRESS.matcher(entry.strip()).matches()) {
          throw new IllegalArgumentException(
              key
                  + " entries are domains (example.com, which covers its subdomains) or addresses"
                  + " (ceo@example.com), but '"
                  + entry
                  + "' is neither");
        }
      }
    }
  }

  record MaxItemsEntry(
      @JsonProperty(value = "argument", required = true) String argument,
      @JsonProperty(value = "max", required = true) Integer max) {
    MaxItemsEntry {
      requireArgument(argument);
      if (max == null || max < 0) {
        throw new IllegalArgumentException(
            "max-items max must be a whole number >= 0, but was " + max);
      }
    }
  }

  record ProvenanceEntry(
      @JsonProperty("untrusted-tools") List<String> untrustedTools,
      @JsonProperty("on-tainted") OnTainted onTainted) {
    ProvenanceEntry {
      if (untrustedTools != null) {
        requireTexts(untrustedTools, "untrusted-tools");
      }
    }
  }

  record ApprovalsEntry(
      @JsonProperty("timeout") Duration timeout, @JsonProperty("on-timeout") OnTimeout onTimeout) {
    ApprovalsEntry {
      if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
        throw new IllegalArgumentException(
            "approvals timeout must be positive, but was " + timeout);
      }
    }
  }

  private static void requireArgument(String argument) {
    if (argument == null || !ARGUMENT.matcher(argument).matches()) {
      throw new IllegalArgumentException(
          "argument must name an argument of the tool (dots for nested fields: changes.bio), but"
              + " was "
              + (argument == null ? "empty" : "'" + argument + "'"));
    }
  }

  private static void requireText(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
  }

  private static void requireTexts(List<String> values, String key) {
    for (int i = 0; i < values.size(); i++) {
      requireText(values.get(i), key + "[" + i + "]");
    }
  }

  private static void requireEntries(List<?> entries, String key) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == null) {
        throw new IllegalArgumentException(key + "[" + i + "] is empty");
      }
    }
  }

  private static <T> List<T> orEmpty(List<T> values) {
    return values == null ? List.of() : values;
  }
}
