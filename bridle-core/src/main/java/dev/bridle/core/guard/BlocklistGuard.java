package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses text that names a blocked domain or contains a blocked term; by default on the task
 * ({@link GuardStage#INPUT}) and on tool arguments ({@link GuardStage#TOOL_ARGUMENTS}), so that
 * nothing is sent to or about what the workflow must not touch.
 *
 * <p><b>Domains</b> are found wherever a host name appears: in e-mail addresses, URLs and bare
 * names. A blocked {@code example.com} also blocks every subdomain ({@code mail.example.com}) but
 * not {@code notexample.com}. Internationalised names are compared in their ASCII (punycode) form,
 * and percent-encoded text ({@code https%3A%2F%2Fexample.com}) is decoded before it is searched.
 *
 * <p>At {@link GuardStage#TOOL_ARGUMENTS} the guard reads each decoded value and key of the
 * arguments ({@link GuardSubject#parts()}) and names the arguments it found something in.
 *
 * <p><b>Terms</b> match whole words in any case, with any white space between the words of a
 * phrase, after folding full-width letters and removing zero-width characters.
 */
public final class BlocklistGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "blocklist";

  private static final Pattern HOST =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}_.-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.){1,10}"
              + "\\p{L}[\\p{L}\\p{N}-]{0,62}(?![\\p{L}\\p{N}-])");

  private static final Pattern DOMAIN_SETTING =
      Pattern.compile("(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}");

  private final String name;
  private final Set<GuardStage> stages;
  private final Set<String> domains;
  private final Optional<TermList> terms;
  private final GuardAction action;

  private BlocklistGuard(Builder b) {
    this.name = b.name;
    this.stages = GuardSettings.requireStages(name, b.stages);
    this.domains = Set.copyOf(b.domains);
    this.terms =
        b.terms.isEmpty()
            ? Optional.empty()
            : Optional.of(TermList.of("guard '" + name + "': terms", b.terms));
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
    Set<String> domainHits = new LinkedHashSet<>();
    Set<String> termHits = new LinkedHashSet<>();
    List<GuardSubject.Part> where = new ArrayList<>();
    for (GuardSubject.Part part : subject.parts()) {
      Set<String> inPart = new LinkedHashSet<>();
      String text = part.text();
      if (!domains.isEmpty()) {
        blockedDomains(MatchText.of(text), inPart);
        if (text.indexOf('%') >= 0) {
          blockedDomains(MatchText.of(percentDecoded(percentDecoded(text))), inPart);
        }
      }
      domainHits.addAll(inPart);
      List<String> termsInPart = terms.map(t -> t.find(text)).orElse(List.of());
      termHits.addAll(termsInPart);
      if (!inPart.isEmpty() || !termsInPart.isEmpty()) {
        where.add(part);
      }
    }
    if (domainHits.isEmpty() && termHits.isEmpty()) {
      return GuardResult.pass();
    }
    List<String> found = new ArrayList<>();
    domainHits.forEach(d -> found.add("domain '" + d + "'"));
    termHits.forEach(term -> found.add("term '" + term + "'"));
    String reason = "blocked " + String.join(", ", found) + " in " + subject.describe(where);
    return action == GuardAction.REASK
        ? GuardResult.reask(
            capitalised(reason)
                + ". This workflow must not use them: do without them, or say that you cannot.")
        : action.result(reason);
  }

  private void blockedDomains(String text, Set<String> hits) {
    Matcher m = HOST.matcher(text);
    while (m.find()) {
      String host = ascii(m.group());
      if (host == null) {
        continue;
      }
      int dot = -1;
      do {
        String suffix = host.substring(dot + 1);
        if (domains.contains(suffix)) {
          hits.add(suffix);
          break;
        }
        dot = host.indexOf('.', dot + 1);
      } while (dot >= 0);
    }
  }

  private static String ascii(String host) {
    try {
      return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Decodes {@code %XX} escapes as UTF-8 and leaves malformed ones as they are. */
  static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%'
          && i + 2 < text.length()
          && hex(text.charAt(i + 1)) >= 0
          && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 3;
        continue;
      }
      if (bytes.size() > 0) {
        out.append(bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
      }
      out.append(c);
      i++;
    }
    if (bytes.size() > 0) {
      out.append(bytes.toString(StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static String capitalised(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** Builds a {@link BlocklistGuard}; at least one domain or term is required. */
  public static final class Builder {
    private String name = NAME;
    private Set<GuardStage> stages = EnumSet.of(GuardStage.INPUT, GuardStage.TOOL_ARGUMENTS);
    private final Set<String> domains = new LinkedHashSet<>();
    private final List<String> terms = new ArrayList<>();
    private GuardAction action = GuardAction.BLOCK;

    private Builder() {}

    /** The guard's name in trips (default {@code blocklist}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** The stages to check (default {@code input} and {@code tool-arguments}). */
    public Builder stages(Collection<GuardStage> stages) {
      this.stages = EnumSet.copyOf(GuardSettings.requireStages(name, stages));
      return this;
    }

    /**
     * Blocked domains such as {@code example.com}; each also blocks its subdomains. A leading
     * {@code *.} is accepted and ignored.
     */
    public Builder domains(Collection<String> blocked) {
      for (String domain : blocked) {
        domains.add(domainSetting(domain));
      }
      return this;
    }

    /** Blocked words or phrases, matched as whole words in any case. */
    public Builder terms(Collection<String> blocked) {
      terms.addAll(blocked);
      return this;
    }

    /**
     * What to do on a match: {@code BLOCK} (default), {@code ESCALATE}, {@code REASK}, {@code
     * FLAG}.
     */
    public Builder action(GuardAction action) {
      this.action =
          GuardAction.require(
              name,
              action,
              List.of(
                  GuardAction.BLOCK, GuardAction.ESCALATE, GuardAction.REASK, GuardAction.FLAG));
      return this;
    }

    public BlocklistGuard build() {
      if (domains.isEmpty() && terms.isEmpty()) {
        throw new ConfigurationException(
            "guard '" + name + "' needs at least one blocked domain or term");
      }
      return new BlocklistGuard(this);
    }

    private String domainSetting(String domain) {
      String trimmed = domain == null ? "" : domain.strip();
      if (trimmed.startsWith("*.")) {
        trimmed = trimmed.substring(2);
      }
      if (trimmed.endsWith(".")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      String ascii = trimmed.isEmpty() ? null : ascii(trimmed);
      if (ascii == null || !DOMAIN_SETTING.matcher(ascii).matches()) {
        throw new ConfigurationException(
            "guard '"
                + name
                + "': blocked domain '"
                + domain
                + "' is not a domain name like example.com (no scheme, path or '@')");
      }
      return ascii;
    }
  }
}
