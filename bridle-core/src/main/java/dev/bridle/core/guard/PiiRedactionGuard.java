package dev.bridle.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.guard.pii.PiiDetector;
import dev.bridle.core.guard.pii.PiiFinding;
import dev.bridle.core.guard.pii.PiiType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds personal data and secrets with {@link PiiDetector} (payment cards with Luhn, IBANs with
 * mod-97, e-mail, phone, IP addresses, US SSNs, URLs, Bitcoin addresses, API keys and tokens by
 * known formats and entropy, private keys) and by default replaces each with {@code
 * [REDACTED:TYPE]}, e.g. {@code [REDACTED:CREDIT_CARD]}.
 *
 * <p>Defaults: every type except {@link PiiType#URL} (links are usually the point of an answer;
 * keys and tokens inside them are still found), on {@link GuardStage#MODEL_OUTPUT} and {@link
 * GuardStage#TOOL_RESULT}. At {@link GuardStage#TOOL_ARGUMENTS} the guard reads each decoded value
 * and key of the arguments ({@link GuardSubject#parts()}); redacting there replaces the findings
 * inside those values, so the arguments stay JSON, and the run loop validates the redacted call
 * against the tool's schema again and runs the tool with the redacted values (a call whose redacted
 * arguments break the schema is refused). Where the tool needs the value (a send-email tool needs
 * the address), use {@code block} or {@code escalate} instead. Values on the {@code allow} list
 * (the company's own support address) are never reported. Reasons and summaries name types and
 * counts, never values.
 *
 * <p>Logs and traces are redacted regardless of this guard, by {@link Redactor}.
 */
public final class PiiRedactionGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "pii";

  private final String name;
  private final Set<GuardStage> stages;
  private final PiiScreen detector;
  private final Set<String> allowed;
  private final GuardAction action;

  private PiiRedactionGuard(Builder b) {
    this.name = b.name;
    this.stages = GuardSettings.requireStages(name, b.stages);
    if (b.types.isEmpty()) {
      throw new ConfigurationException("guard '" + name + "': types must not be empty");
    }
    try {
      PiiDetector.builder()
          .types(b.types)
          .entropyThreshold(b.entropyThreshold)
          .minTokenLength(b.minTokenLength)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("guard '" + name + "': " + e.getMessage(), e);
    }
    this.detector = new PiiScreen(b.types, b.entropyThreshold, b.minTokenLength);
    this.allowed =
        b.allowed.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.action = b.action;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The types reported when none are configured: every type except {@link PiiType#URL}. */
  public static Set<PiiType> defaultTypes() {
    return EnumSet.complementOf(EnumSet.of(PiiType.URL));
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
    List<PiiFinding> all = new ArrayList<>();
    List<GuardSubject.Part> where = new ArrayList<>();
    for (GuardSubject.Part part : subject.parts()) {
      List<PiiFinding> found = findings(part.text());
      if (!found.isEmpty()) {
        all.addAll(found);
        where.add(part);
      }
    }
    if (all.isEmpty()) {
      return GuardResult.pass();
    }
    String summary = summary(all);
    return switch (action) {
      case REDACT -> redact(subject, summary, where);
      case REASK ->
          GuardResult.reask(
              "Your "
                  + (subject.stage() == GuardStage.TOOL_ARGUMENTS ? "tool call" : "answer")
                  + " contains personal data or secrets ("
                  + summary
                  + "). Leave the values out, or refer to them without repeating them.");
      default -> action.result("found " + summary + " in " + subject.describe(where));
    };
  }

  private List<PiiFinding> findings(String text) {
    return detector.find(text).stream()
        .filter(f -> !allowed.contains(f.textIn(text).toLowerCase(Locale.ROOT)))
        .toList();
  }

  /**
   * The subject with each finding replaced. Tool arguments are redacted inside their values and
   * keys, so they stay JSON; the run loop validates the redacted call against the tool's schema
   * again before it runs.
   */
  private GuardResult redact(GuardSubject subject, String summary, List<GuardSubject.Part> where) {
    String described = subject.describe(where);
    Optional<JsonNode> arguments =
        subject.stage() == GuardStage.TOOL_ARGUMENTS
            ? ArgumentValues.parse(subject.text())
            : Optional.empty();
    if (arguments.isEmpty()) {
      String text = subject.text();
      return GuardResult.redact(
          redacted(text, findings(text)), "redacted " + summary + " in " + described);
    }
    return ArgumentValues.rewritten(arguments.get(), part -> redacted(part.text()))
        .map(json -> GuardResult.redact(json, "redacted " + summary + " in " + described))
        .orElseGet(
            () ->
                GuardResult.block(
                    "found "
                        + summary
                        + " in "
                        + described
                        + " and could not redact it: two keys of one object would have the same"
                        + " name"));
  }

  private String redacted(String text) {
    List<PiiFinding> found = findings(text);
    return found.isEmpty() ? text : redacted(text, found);
  }

  /** "2 EMAIL, 1 CREDIT_CARD": counts per type, most specific type first. */
  private static String summary(List<PiiFinding> findings) {
    Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    findings.forEach(f -> counts.merge(f.type(), 1, Integer::sum));
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().name())
        .collect(Collectors.joining(", "));
  }

  /** {@code text} with each finding replaced by {@code [REDACTED:TYPE]}. */
  static String redacted(String text, List<PiiFinding> findings) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (PiiFinding finding : findings) {
      out.append(text, at, finding.start())
          .append("[REDACTED:")
          .append(finding.type().name())
          .append(']');
      at = finding.end();
    }
    return out.append(text, at, text.length()).toString();
  }

  /** Builds a {@link PiiRedactionGuard}; every setting has a default. */
  public static final class Builder {
    private String name = NAME;
    private Set<GuardStage> stages = EnumSet.of(GuardStage.MODEL_OUTPUT, GuardStage.TOOL_RESULT);
    private Set<PiiType> types = defaultTypes();
    private final Set<String> allowed = new TreeSet<>();
    private double entropyThreshold = PiiDetector.DEFAULT_ENTROPY_THRESHOLD;
    private int minTokenLength = PiiDetector.DEFAULT_MIN_TOKEN_LENGTH;
    private GuardAction action = GuardAction.REDACT;

    private Builder() {}

    /** The guard's name in trips (default {@code pii}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** The stages to check (default {@code model-output} and {@code tool-result}). */
    public Builder stages(Collection<GuardStage> stages) {
      this.stages = EnumSet.copyOf(GuardSettings.requireStages(name, stages));
      return this;
    }

    /** The types to report (default: all but {@code URL}). */
    public Builder types(Collection<PiiType> report) {
      this.types = report.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(report);
      return this;
    }

    /** Values never reported, compared case-insensitively (e.g. {@code support@example.com}). */
    public Builder allow(Collection<String> values) {
      allowed.addAll(values);
      return this;
    }

    /** Minimum Shannon entropy of a high-entropy token, bits per character (default 4.0). */
    public Builder entropyThreshold(double bitsPerCharacter) {
      this.entropyThreshold = bitsPerCharacter;
      return this;
    }

    /** Minimum length of a high-entropy token, at least 16 (default 24). */
    public Builder minTokenLength(int characters) {
      this.minTokenLength = characters;
      return this;
    }

    /** {@code REDACT} (default), {@code BLOCK}, {@code ESCALATE}, {@code REASK} or {@code FLAG}. */
    public Builder action(GuardAction action) {
      this.action =
          GuardAction.require(
              name,
              action,
              List.of(
                  GuardAction.REDACT,
                  GuardAction.BLOCK,
                  GuardAction.ESCALATE,
                  GuardAction.REASK,
                  GuardAction.FLAG));
      return this;
    }

    public PiiRedactionGuard build() {
      return new PiiRedactionGuard(this);
    }
  }
}
