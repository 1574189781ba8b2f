package dev.bridle.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.tool.Effect;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workflow's policy, evaluated by the system and never by the model (DESIGN §4). {@link #decide}
 * is a pure function of the policy and the {@link PolicyRequest}, in this order:
 *
 * <ol>
 *   <li>a {@link Effect#DESTRUCTIVE} tool is denied unless {@code allowDestructive};
 *   <li>a broken {@link ArgumentConstraint} denies;
 *   <li>the first matching {@link Rule} allows, denies or asks; no match denies (default deny);
 *   <li>in {@link Mode#SHADOW} a call with an effect is recorded and not executed;
 *   <li>a sensitive argument that only untrusted content supplied asks (or denies: {@link
 *       Provenance});
 *   <li>a rule's ask, a destructive effect, an effect above {@code maxUnapprovedEffect}, and what
 *       the mode approves (decision 0005) ask;
 *   <li>otherwise the call runs.
 * </ol>
 *
 * @param version recorded on every decision; computed from the content when not declared
 * @param roles role name → users, for rules that name {@code role:<name>}
 * @param fourEyes globs over tools whose approver must not be the run's requester
 * @param approvalTimeout how long an approval may wait before {@code onTimeout} applies
 * @param onTimeout {@link Verdict#DENY} (reject, the default) or {@link Verdict#ALLOW} (approve)
 * @param undoWindow how long an autonomous reversible change can be undone from its notification
 */
public record Policy(
    String version,
    Mode mode,
    Effect maxUnapprovedEffect,
    boolean allowDestructive,
    List<Rule> rules,
    List<ArgumentConstraint> constraints,
    Provenance provenance,
    Map<String, Set<String>> roles,
    List<String> fourEyes,
    Duration approvalTimeout,
    Verdict onTimeout,
    Duration undoWindow) {

  public Policy {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(maxUnapprovedEffect, "maxUnapprovedEffect");
    rules = List.copyOf(rules);
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(provenance, "provenance");
    java.util.TreeMap<String, Set<String>> sortedRoles = new java.util.TreeMap<>();
    roles.forEach(
        (role, users) ->
            sortedRoles.put(
                role, java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(users))));
    roles = java.util.Collections.unmodifiableSortedMap(sortedRoles);
    fourEyes = List.copyOf(fourEyes);
    Objects.requireNonNull(approvalTimeout, "approvalTimeout");
    Objects.requireNonNull(onTimeout, "onTimeout");
    Objects.requireNonNull(undoWindow, "undoWindow");
  }

  /**
   * What an agent gets when nobody configured a policy: the tools it was given are allowed,
   * SUPERVISED, and nothing above a reversible write runs without a human.
   */
  public static Policy defaults() {
    return builder().rule(Rule.allow("*").withId("default:allow-own-tools")).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Decides one call; see the class comment for the order of the checks. */
  public PolicyDecision decide(PolicyRequest request) {
    PolicyRequest.ToolFacts tool = request.tool();
    if (tool.effect() == Effect.DESTRUCTIVE && !allowDestructive) {
      return decision(
          Verdict.DENY,
          "effect:DESTRUCTIVE",
          tool.name() + " is destructive, and this workflow does not allow destructive tools");
    }
    for (ArgumentConstraint constraint : constraints) {
      if (Glob.matches(constraint.tools(), tool.name())) {
        Optional<String> violation = constraint.violation(request.arguments());
        if (violation.isPresent()) {
          return decision(Verdict.DENY, "constraint:" + constraint.kind(), violation.get());
        }
      }
    }
    Optional<Rule> rule = firstMatch(request);
    if (rule.isEmpty()) {
      return decision(
          Verdict.DENY,
          "default-deny",
          "no policy rule allows " + tool.name() + " for " + request.user() + " (default deny)");
    }
    if (rule.get().verdict() == Verdict.DENY) {
      return decision(
          Verdict.DENY, rule.get().id(), "rule " + rule.get().id() + " denies " + tool.name());
    }
    if (mode == Mode.SHADOW && tool.effect() != Effect.READ) {
      return decision(
          Verdict.SHADOW,
          "mode:SHADOW",
          "shadow mode: " + tool.name() + " (" + tool.effect() + ") is recorded, not executed");
    }
    Optional<String> tainted = taintedArgument(request);
    if (tainted.isPresent()) {
      return decision(provenance.onTainted(), "provenance", tainted.get());
    }
    for (ArgumentConstraint constraint : constraints) {
      if (constraint instanceof ArgumentConstraint.AskAbove above
          && Glob.matches(above.tools(), tool.name())) {
        Optional<String> asks = above.asks(request.arguments());
        if (asks.isPresent()) {
          return decision(Verdict.ASK, "constraint:ask-above", asks.get());
        }
      }
    }
    if (rule.get().verdict() == Verdict.ASK) {
      return decision(
          Verdict.ASK,
          rule.get().id(),
          "rule " + rule.get().id() + " asks a human before " + tool.name());
    }
    if (tool.effect() == Effect.DESTRUCTIVE) {
      return decision(
          Verdict.ASK,
          "effect:DESTRUCTIVE",
          tool.name() + " is destructive: a human always approves it");
    }
    if (tool.effect().compareTo(maxUnapprovedEffect) > 0) {
      return decision(
          Verdict.ASK,
          "max-unapproved-effect",
          tool.name()
              + " has effect "
              + tool.effect()
              + ", above the workflow's max-unapproved-effect "
              + maxUnapprovedEffect);
    }
    Optional<String> modeAsks = modeAsks(tool);
    if (modeAsks.isPresent()) {
      return decision(Verdict.ASK, "mode:" + mode, modeAsks.get());
    }
    return decision(
        Verdict.ALLOW, rule.get().id(), "rule " + rule.get().id() + " allows " + tool.name());
  }

  /** Whether {@code approver} may decide a call of {@code toolName} requested by {@code user}. */
  public Optional<String> fourEyesViolation(String toolName, String user, String approver) {
    boolean applies = fourEyes.stream().anyMatch(g -> Glob.matches(g, toolName));
    if (applies && approver.equals(user)) {
      return Optional.of(
          toolName
              + " needs four eyes: its approver must not be the run's requester ("
              + user
              + ")");
    }
    return Optional.empty();
  }

  private Optional<String> modeAsks(PolicyRequest.ToolFacts tool) {
    Effect effect = tool.effect();
    return switch (mode) {
      case SHADOW, AUTONOMOUS -> Optional.empty();
      case PROPOSE ->
          effect.compareTo(Effect.WRITE) >= 0
              ? Optional.of("propose mode: " + tool.name() + " (" + effect + ") waits for a human")
              : Optional.empty();
      case SUPERVISED ->
          effect.compareTo(Effect.EXTERNAL) >= 0
              ? Optional.of(
                  "supervised mode: " + tool.name() + " (" + effect + ") cannot be taken back")
              : Optional.empty();
    };
  }

  private Optional<Rule> firstMatch(PolicyRequest request) {
    String resource = resourceOf(request);
    for (Rule rule : rules) {
      if (Glob.matches(rule.workflow(), request.workflow())
          && Glob.matches(rule.tools(), request.tool().name())
          && Glob.matches(rule.resources(), resource)
          && principalMatches(rule, request.user())) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  private static String resourceOf(PolicyRequest request) {
    String argument = request.tool().resourceArgument();
    if (argument == null) {
      return request.tool().name();
    }
    JsonNode value = ArgumentConstraint.at(request.arguments(), argument);
    return value.isMissingNode() || value.isNull() ? "" : value.asText();
  }

  private boolean principalMatches(Rule rule, String user) {
    for (String principal : rule.principals()) {
      if (principal.equals("*") || principal.equals(user)) {
        return true;
      }
      if (principal.startsWith("role:")
          && roles.getOrDefault(principal.substring(5), Set.of()).contains(user)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first sensitive argument whose value occurs in untrusted content and nowhere trusted. A
   * value that occurs nowhere (the model made it up) is not a provenance matter.
   */
  private Optional<String> taintedArgument(PolicyRequest request) {
    List<String> sensitive = request.tool().sensitiveArguments();
    if (sensitive.isEmpty()) {
      return Optional.empty();
    }
    for (String argument : sensitive) {
      List<String> checked =
          new ArrayList<>(values(ArgumentConstraint.at(request.arguments(), argument)));
      if (request.proposedArguments() != request.arguments()) {
        // what the model wrote, before a guard redacted part of it: provenance is about its source
        checked.addAll(values(ArgumentConstraint.at(request.proposedArguments(), argument)));
      }
      for (String value : checked) {
        String needle = normalise(value);
        if (isNumber(needle)) {
          needle = canonicalNumber(needle);
        } else if (needle.length() < 3) {
          continue; // a short text occurs everywhere; numbers are matched whole, at any length
        }
        String untrustedSource = null;
        boolean trusted = false;
        for (String text : request.evidence().trusted()) {
          trusted |= contains(text, needle);
        }
        for (PolicyRequest.Source source : request.evidence().results()) {
          if (!contains(source.text(), needle)) {
            continue;
          }
          if (provenance.untrusted(source)) {
            untrustedSource = untrustedSource == null ? source.toolName() : untrustedSource;
          } else {
            trusted = true;
          }
        }
        if (untrustedSource != null && !trusted) {
          return Optional.of(
              "sensitive argument '"
                  + argument
                  + "' of "
                  + request.tool().name()
                  + " has a value that appears only in untrusted content (a result of "
                  + untrustedSource
                  + "), not in the task or a trusted source");
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> values(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> values.addAll(values(v)));
    } else if (node.isNumber()) {
      values.add(Json.plainNumber(node.decimalValue()));
    } else if (node.isValueNode() && !node.isNull()) {
      values.add(node.asText());
    }
    return values;
  }

  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\u00a0]+");

  private static String normalise(String text) {
    return SEPARATORS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
  }

  private static boolean contains(String haystack, String normalisedNeedle) {
    String hay = normalise(haystack);
    if (isNumber(normalisedNeedle)) {
      // A number must stand alone: 100 is not in 1000 nor in 2100.50, but is in 100.00 and 1,000
      // holds 1000. The text is searched without spaces ("1 000 000" holds 1000000) and with them
      // ("invoice 2024 100 EUR" holds 100).
      String needle = Pattern.quote(normalisedNeedle);
      String fraction = normalisedNeedle.contains(".") ? "0*" : "(?:\\.0+)?";
      Pattern p = Pattern.compile("(?<![0-9.])" + needle + fraction + "(?![0-9]|\\.[0-9])");
      String spaced = haystack.toLowerCase(Locale.ROOT).replace(",", "");
      return p.matcher(hay.replace(",", "")).find() || p.matcher(spaced).find();
    }
    return hay.contains(normalisedNeedle);
  }

  /** A decimal without trailing zeros ({@code 100.50} as {@code 100.5}); integers as written. */
  private static String canonicalNumber(String number) {
    if (!number.contains(".")) {
      return number; // leading zeros of an account number are part of it
    }
    return Json.plainNumber(new BigDecimal(number));
  }

  private static boolean isNumber(String s) {
    try {
      new BigDecimal(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private PolicyDecision decision(Verdict verdict, String rule, String reason) {
    return new PolicyDecision(verdict, rule, reason, version);
  }

  /** Builds a {@link Policy}; the version is a hash of the content when not set. */
  public static final class Builder {
    private String version = "";
    private Mode mode = Mode.SUPERVISED;
    private Effect maxUnapprovedEffect = Effect.WRITE;
    private boolean allowDestructive;
    private final List<Rule> rules = new ArrayList<>();
    private final List<ArgumentConstraint> constraints = new ArrayList<>();
    private Provenance provenance = Provenance.DEFAULT;
    private final Map<String, Set<String>> roles = new LinkedHashMap<>();
    private final List<String> fourEyes = new ArrayList<>();
    private Duration approvalTimeout = Duration.ofHours(24);
    private Verdict onTimeout = Verdict.DENY;
    private Duration undoWindow = Duration.ofSeconds(60);

    private Builder() {}

    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder maxUnapprovedEffect(Effect effect) {
      this.maxUnapprovedEffect = Objects.requireNonNull(effect, "effect");
      return this;
    }

    public Builder allowDestructive(boolean allow) {
      this.allowDestructive = allow;
      return this;
    }

    /** Adds a rule; rules are tried in the order added. An unnamed rule is {@code rules[i]}. */
    public Builder rule(Rule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder constraint(ArgumentConstraint constraint) {
      constraints.add(Objects.requireNonNull(constraint, "constraint"));
      return this;
    }

    public Builder provenance(Provenance provenance) {
      this.provenance = Objects.requireNonNull(provenance, "provenance");
      return this;
    }

    public Builder role(String role, Set<String> users) {
      roles.put(Objects.requireNonNull(role, "role"), Set.copyOf(users));
      return this;
    }

    public Builder fourEyes(String toolGlob) {
      fourEyes.add(Objects.requireNonNull(toolGlob, "toolGlob"));
      return this;
    }

    public Builder approvalTimeout(Duration timeout, Verdict onTimeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new ConfigurationException("approval timeout must be positive, but was " + timeout);
      }
      if (onTimeout != Verdict.ALLOW && onTimeout != Verdict.DENY) {
        throw new ConfigurationException(
            "approval on-timeout must be approve or reject, but was " + onTimeout);
      }
      this.approvalTimeout = timeout;
      this.onTimeout = onTimeout;
      return this;
    }

    public Builder undoWindow(Duration window) {
      if (window.isNegative()) {
        throw new ConfigurationException("undo window must not be negative, but was " + window);
      }
      this.undoWindow = window;
      return this;
    }

    public Policy build() {
      Policy draft =
          new Policy(
              version,
              mode,
              maxUnapprovedEffect,
              allowDestructive,
              rules,
              constraints,
              provenance,
              roles,
              fourEyes,
              approvalTimeout,
              onTimeout,
              undoWindow);
      return version.isBlank() ? draft.withVersion(contentHash(draft)) : draft;
    }

    private static String contentHash(Policy policy) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(policy.toString().getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * This policy in {@code newMode}, for an operator's mode override (the deployment sequence,
   * DESIGN §4); itself when the mode is the same. The version becomes {@code
   * <version>/mode=<mode>}, so that an approval asked under the old mode is decided afresh under
   * the new one (decision 0005: an approved call runs without asking again only under the policy
   * version it was asked under), and every decision in the journal shows that the mode was
   * overridden.
   */
  public Policy withMode(Mode newMode) {
    Objects.requireNonNull(newMode, "newMode");
    if (newMode == mode) {
      return this;
    }
    return new Policy(
        version + "/mode=" + newMode.name().toLowerCase(Locale.ROOT),
        newMode,
        maxUnapprovedEffect,
        allowDestructive,
        rules,
        constraints,
        provenance,
        roles,
        fourEyes,
        approvalTimeout,
        onTimeout,
        undoWindow);
  }

  private Policy withVersion(String newVersion) {
    return new Policy(
        newVersion,
        mode,
        maxUnapprovedEffect,
        allowDestructive,
        rules,
        constraints,
        provenance,
        roles,
        fourEyes,
        approvalTimeout,
        onTimeout,
        undoWindow);
  }
}
