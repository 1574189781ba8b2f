package dev.bridle.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A check on a call's arguments that the system enforces whatever the model says. A call that
 * breaks one is denied and the model is told which constraint and why. {@code tools} is a glob over
 * tool names; {@code argument} names an argument, with dots for nested fields ({@code
 * changes.bio}).
 */
public sealed interface ArgumentConstraint {

  /** Which tools the constraint applies to (a glob). */
  String tools();

  /** A short name for decisions, e.g. {@code writable-fields}. */
  String kind();

  /** Why {@code arguments} break the constraint, or empty when they keep it. */
  Optional<String> violation(JsonNode arguments);

  /**
   * Only these fields may be changed: when the argument is an object, each of its keys must be
   * allowed; when it is a string (a field name), it must be allowed.
   */
  record WritableFields(String tools, String argument, Set<String> allowed)
      implements ArgumentConstraint {
    public WritableFields {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(argument, "argument");
      allowed = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(allowed));
    }

    @Override
    public String kind() {
      return "writable-fields";
    }

    @Override
    public Optional<String> violation(JsonNode arguments) {
      JsonNode value = at(arguments, argument);
      List<String> fields = new ArrayList<>();
      if (value.isObject()) {
        value.fieldNames().forEachRemaining(fields::add);
      } else if (value.isTextual()) {
        fields.add(value.asText());
      } else if (value.isArray()) {
        value.forEach(v -> fields.add(v.asText()));
      }
      List<String> refused = fields.stream().filter(f -> !allowed.contains(f)).toList();
      if (refused.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          "only the fields "
              + sorted(allowed)
              + " may be changed through '"
              + argument
              + "', but the call changes "
              + refused);
    }
  }

  /** A number argument must lie within [min, max] (either bound may be absent). */
  record Bounds(String tools, String argument, BigDecimal min, BigDecimal max)
      implements ArgumentConstraint {
    public Bounds {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(argument, "argument");
    }

    @Override
    public String kind() {
      return "bounds";
    }

    @Override
    public Optional<String> violation(JsonNode arguments) {
      JsonNode value = at(arguments, argument);
      if (value.isMissingNode() || value.isNull()) {
        return Optional.empty();
      }
      BigDecimal number;
      try {
        number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
      } catch (NumberFormatException e) {
        return Optional.of("'" + argument + "' must be a number, but was " + value);
      }
      if (min != null && number.compareTo(min) < 0) {
        return Optional.of(
            "'" + argument + "' must be at least " + min.toPlainString() + ", but was " + number);
      }
      if (max != null && number.compareTo(max) > 0) {
        return Optional.of(
            "'" + argument + "' must be at most " + max.toPlainString() + ", but was " + number);
      }
      return Optional.empty();
    }
  }

  /**
   * Recipients, domains or URLs (a string or a list of strings): each one's domain must not be on
   * the blocklist, and must be on the allowlist when there is one. A domain entry also covers its
   * subdomains; an entry with an {@code @} is one address. One string may hold several recipients
   * ({@code "Eve <eve@example.org>, bob@example.com"}): each is checked, so a blocked address
   * cannot hide behind an allowed one or a display name.
   */
  record Recipients(String tools, String argument, Set<String> allow, Set<String> block)
      implements ArgumentConstraint {
    public Recipients {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(argument, "argument");
      allow = lower(allow);
      block = lower(block);
    }

    @Override
    public String kind() {
      return "recipients";
    }

    @Override
    public Optional<String> violation(JsonNode arguments) {
      JsonNode value = at(arguments, argument);
      List<String> values = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(v -> values.add(v.asText()));
      } else if (!value.isMissingNode() && !value.isNull()) {
        values.add(value.asText());
      }
      for (String v : values) {
        for (String address : recipientsIn(v)) {
          String domain = domainOf(address);
          if (matches(block, address, domain)) {
            return Optional.of("'" + argument + "' value " + v + " is on the blocklist");
          }
          if (!allow.isEmpty() && !matches(allow, address, domain)) {
            return Optional.of(
                "'" + argument + "' value " + v + " is not on the allowlist " + sorted(allow));
          }
        }
      }
      return Optional.empty();
    }

    /** Whether {@code value} (addresses, domains or URLs) names anything on the blocklist. */
    public boolean blocks(String value) {
      return recipientsIn(value).stream().anyMatch(a -> matches(block, a, domainOf(a)));
    }

    private static final java.util.regex.Pattern SEPARATORS =
        java.util.regex.Pattern.compile("[\\s,;<>\"'()\\[\\]]+");

    /**
     * The recipients in one value, lower-cased: the tokens that look like an address, a URL or a
     * domain ({@code "Eve Smith <eve@example.org>"} holds one, {@code eve@example.org}); the whole
     * value when none does, so that a bare name is still checked.
     */
    static List<String> recipientsIn(String value) {
      String lower = value.trim().toLowerCase(Locale.ROOT);
      List<String> recipients = new ArrayList<>();
      for (String token : SEPARATORS.split(lower)) {
        if (token.contains("@") || token.contains(".") || token.contains("://")) {
          recipients.add(token.startsWith("mailto:") ? token.substring(7) : token);
        }
      }
      return recipients.isEmpty() ? List.of(lower) : recipients;
    }

    private static boolean matches(Set<String> entries, String address, String domain) {
      for (String entry : entries) {
        if (entry.contains("@")) {
          if (entry.equals(address)) {
            return true;
          }
        } else if (domain.equals(entry) || domain.endsWith("." + entry)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * A human approves a call whose number argument is above {@code limit} (an expense above EUR
   * 500): it never denies, it asks. Policy applies it after the rules, so a rule that denies still
   * wins, and an approval given under the same policy version lets the call run.
   */
  record AskAbove(String tools, String argument, BigDecimal limit) implements ArgumentConstraint {
    public AskAbove {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(argument, "argument");
      Objects.requireNonNull(limit, "limit");
    }

    @Override
    public String kind() {
      return "ask-above";
    }

    /** Never a violation: see {@link #asks(JsonNode)}. */
    @Override
    public Optional<String> violation(JsonNode arguments) {
      return Optional.empty();
    }

    /** Why a human must approve these arguments, or empty when they are at or below the limit. */
    public Optional<String> asks(JsonNode arguments) {
      JsonNode value = at(arguments, argument);
      if (value.isMissingNode() || value.isNull()) {
        return Optional.empty();
      }
      BigDecimal number;
      try {
        number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
      } catch (NumberFormatException e) {
        return Optional.of("'" + argument + "' is not a number, so a human checks it: " + value);
      }
      return number.compareTo(limit) > 0
          ? Optional.of(
              "'"
                  + argument
                  + "' is "
                  + Json.plainNumber(number)
                  + ", above "
                  + limit.toPlainString()
                  + ": a human approves it")
          : Optional.empty();
    }
  }

  /** Blast radius: a list argument may hold at most {@code max} items (one record per call). */
  record MaxItems(String tools, String argument, int max) implements ArgumentConstraint {
    public MaxItems {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(argument, "argument");
      if (max < 0) {
        throw new IllegalArgumentException("max-items must not be negative");
      }
    }

    @Override
    public String kind() {
      return "max-items";
    }

    @Override
    public Optional<String> violation(JsonNode arguments) {
      JsonNode value = at(arguments, argument);
      if (value.isArray() && value.size() > max) {
        return Optional.of(
            "'"
                + argument
                + "' may hold at most "
                + max
                + (max == 1 ? " item" : " items")
                + " per call, but holds "
                + value.size());
      }
      return Optional.empty();
    }
  }

  /** The value at a dotted argument path, or a missing node. */
  static JsonNode at(JsonNode arguments, String argument) {
    JsonNode node = arguments;
    for (String part : argument.split("\\.")) {
      node = node == null ? null : node.path(part);
    }
    return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
  }

  /**
   * The domain of an e-mail address, a URL or a bare domain, lower-cased, without port, path or the
   * trailing dot of a fully qualified name.
   */
  static String domainOf(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    String host = v;
    if (v.contains("://")) {
      try {
        String parsed = URI.create(v).getHost();
        host = parsed != null ? parsed : afterAt(v.substring(v.indexOf("://") + 3));
      } catch (IllegalArgumentException e) {
        host = afterAt(v.substring(v.indexOf("://") + 3));
      }
    } else {
      host = afterAt(v);
    }
    int end = host.length();
    for (char c : new char[] {'/', '?', '#', ':'}) {
      int i = host.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    host = host.substring(0, end);
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host;
  }

  /** The part after the last {@code @} before any path: the host of {@code user@host/path}. */
  private static String afterAt(String v) {
    int slash = v.indexOf('/');
    String authority = slash >= 0 ? v.substring(0, slash) : v;
    int at = authority.lastIndexOf('@');
    return at >= 0 ? authority.substring(at + 1) : authority;
  }

  private static Set<String> lower(Set<String> values) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (String v : values) {
      out.add(v.trim().toLowerCase(Locale.ROOT));
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
